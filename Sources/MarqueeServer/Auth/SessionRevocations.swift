import Foundation
import Logging
import MarqueeStore
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The sessions ended before their tokens expire (API.md, "Sessions (v2)"), as this instance
/// knows them. Checking a token is a lookup under a lock, never a query: the store's
/// revocations are loaded before the server starts, this instance's own logouts are applied
/// at once, and ``SessionRevocationFeed`` reads the other instances' about once a second.
final class SessionRevocations: Sendable {
    private struct State {
        /// Ended tokens by digest, each until it expires.
        var tokens: [String: Date] = [:]
        /// Per account, the lowest session epoch still good, until the older tokens expire.
        var epochs: [String: (epoch: Int, until: Date)] = [:]
        /// The highest revocation id applied: where the next read starts.
        var lastId: Int64 = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Whether `token`'s session has ended.
    func refuses(_ token: VerifiedToken) -> Bool {
        state.withLockedValue { state in
            if state.tokens[token.digest] != nil { return true }
            guard let floor = state.epochs[token.subject] else { return false }
            return token.sessionEpoch < floor.epoch
        }
    }

    var lastId: Int64 { state.withLockedValue { $0.lastId } }

    /// Takes in revocations, whether read from the store or just written by this instance;
    /// applying one twice changes nothing.
    func apply(_ revocations: [SessionRevocation]) {
        state.withLockedValue { state in
            for revocation in revocations {
                switch revocation.target {
                case .token(let digest):
                    state.tokens[digest] = revocation.expiresAt
                case .epochsBefore(let epoch):
                    let known = state.epochs[revocation.userId]
                    if known == nil || known!.epoch < epoch {
                        state.epochs[revocation.userId] = (epoch, revocation.expiresAt)
                    }
                }
                state.lastId = max(state.lastId, revocation.id)
            }
        }
    }

    /// Forgets revocations whose tokens have all expired by `now`.
    func prune(now: Date) {
        state.withLockedValue { state in
            state.tokens = state.tokens.filter { $0.value > now }
            state.epochs = state.epochs.filter { $0.value.until > now }
        }
    }

    /// Reads what the store has that this instance has not seen.
    func catchUp(from store: any BookingStore, now: Date) async throws {
        apply(try await store.sessionRevocations(after: lastId, now: now))
    }
}

/// Reads other instances' logouts into ``SessionRevocations`` every `interval` (1 s, well
/// inside the 2 s the contract gives), and forgets expired ones. While the database is away
/// the known revocations stay in force and reading resumes when it is back.
struct SessionRevocationFeed: Service {
    let revocations: SessionRevocations
    let store: any BookingStore
    let interval: Duration
    let logger: Logger
    /// Opens when the schema is migrated and the revocations are loaded.
    let started: StartupGate

    func run() async throws {
        await cancelWhenGracefulShutdown { await started.wait() }
        var failing = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch { return }
            do {
                let now = Date()
                try await revocations.catchUp(from: store, now: now)
                revocations.prune(now: now)
                if failing { logger.info("Reading session revocations again") }
                failing = false
            } catch {
                if !failing {
                    logger.warning(
                        "Cannot read session revocations; the known ones stay in force",
                        metadata: ["error": "\(String(reflecting: error))"])
                }
                failing = true
            }
        }
    }
}
