import Foundation
import Logging
import MarqueeCore
import MarqueeStore
import ServiceLifecycle

/// Marks lapsed holds `EXPIRED` on an interval, and tells the outbox reader when it did.
/// Expiry never waits for it: every read and booking treats a lapsed hold as free
/// (SQL/postgres/functions/marquee_book.sql, SQLiteStore+Bookings.swift), and this keeps
/// statuses honest. Safe with any number of instances sweeping. Each pass also runs the
/// ``RetentionSweep``, which forgets what is kept only for a while.
struct HoldSweeper: Service {
    let store: any BookingStore
    let interval: Duration
    let logger: Logger
    let metrics: MarqueeMetrics
    let clock: @Sendable () -> Date
    /// Opens when the schema is migrated.
    let started: StartupGate
    /// Told when holds expire, so live seat maps and caches hear of it.
    let changes: OutboxSignal
    /// Old idempotency keys and outbox events, forgotten after each pass.
    let retention: RetentionSweep

    func run() async throws {
        // A shutdown before start-up finished must not leave this waiting.
        await cancelWhenGracefulShutdown { await started.wait() }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sweep()
            try? await gracefulShutdown(sleeping: interval)
        }
    }

    /// One pass: expire lapsed holds in batches, then forget what is past its retention.
    func sweep() async {
        do {
            var expired = 0
            var batch = 0
            repeat {
                batch = try await store.expireHolds(now: clock(), limit: 500)
                expired += batch
            } while batch == 500 && !Task.isCancelled
            metrics.holdsExpired(expired)
            if expired > 0 {
                changes.unseenChange()
                logger.info("Holds expired", metadata: ["holds_expired": "\(expired)"])
            }
        } catch {
            logger.warning("Sweep failed; trying again next interval", metadata: ["error": "\(String(reflecting: error))"])
        }
        await retention.sweep(now: clock(), logger: logger)
    }
}

/// Forgets idempotency keys and outbox events past their retention, session revocations
/// whose tokens have all expired, and failed logins older than the throttle's window. Event
/// times come from the database's clock, and with the real clock `now` is the same time.
struct RetentionSweep: Sendable {
    let store: any BookingStore
    let keyRetention: Duration
    let eventRetention: Duration
    /// Failed logins older than the throttle's window count for nothing.
    let loginWindow: Duration

    func sweep(now: Date, logger: Logger) async {
        do {
            let purged = try await store.purgeIdempotencyKeys(createdBefore: now.addingTimeInterval(-keyRetention.seconds))
            let pruned = try await store.pruneEvents(createdBefore: now.addingTimeInterval(-eventRetention.seconds))
            let revocations = try await store.purgeSessionRevocations(expiredBefore: now)
            _ = try await store.purgeLoginFailures(before: now.addingTimeInterval(-loginWindow.seconds))
            if purged > 0 || pruned > 0 || revocations > 0 {
                logger.info(
                    "Swept",
                    metadata: [
                        "keys_purged": "\(purged)", "events_pruned": "\(pruned)",
                        "revocations_purged": "\(revocations)",
                    ])
            }
        } catch {
            logger.warning(
                "Retention sweep failed; trying again next interval", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

/// Sleeps for `duration`, returning early (by throwing) when a graceful shutdown begins.
func gracefulShutdown(sleeping duration: Duration) async throws {
    try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
