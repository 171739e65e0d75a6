import Foundation
import Logging
import MarqueeCore
import MarqueeStore
import ServiceLifecycle

/// Marks lapsed holds `EXPIRED` and forgets idempotency keys past their retention, on an
/// interval. Expiry never waits for it (every read and booking treats a lapsed hold as free);
/// it keeps statuses honest and tables small. Safe with any number of instances sweeping.
struct HoldSweeper: Service {
    let store: any BookingStore
    let interval: Duration
    let keyRetention: Duration
    let logger: Logger
    let metrics: MarqueeMetrics
    let clock: @Sendable () -> Date
    /// Opens when the schema is migrated.
    let started: StartupGate
    /// Told when holds expire, so live seat maps and caches hear of it.
    let changes: ChangeFeed
    /// How long outbox events are kept.
    let eventRetention: Duration

    func run() async throws {
        // A shutdown before start-up finished must not leave this waiting.
        await cancelWhenGracefulShutdown { await started.wait() }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sweep()
            try? await gracefulShutdown(sleeping: interval)
        }
    }

    /// One pass: expire lapsed holds in batches, then purge old keys.
    func sweep() async {
        do {
            var expired = 0
            var batch = 0
            repeat {
                batch = try await store.expireHolds(now: clock(), limit: 500)
                expired += batch
            } while batch == 500 && !Task.isCancelled
            metrics.holdsExpired(expired)
            if expired > 0 { changes.poke() }
            let purged = try await store.purgeIdempotencyKeys(
                createdBefore: clock().addingTimeInterval(-keyRetention.seconds))
            // Event times come from the database's clock, so the cutoff is real time too.
            let pruned = try await store.pruneEvents(createdBefore: Date().addingTimeInterval(-eventRetention.seconds))
            if expired > 0 || purged > 0 || pruned > 0 {
                logger.info(
                    "Swept", metadata: ["holds_expired": "\(expired)", "keys_purged": "\(purged)", "events_pruned": "\(pruned)"])
            }
        } catch {
            logger.warning("Sweep failed; trying again next interval", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

/// Sleeps for `duration`, returning early (by throwing) when a graceful shutdown begins.
private func gracefulShutdown(sleeping duration: Duration) async throws {
    try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
