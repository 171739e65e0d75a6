import Foundation
import Logging
import MarqueeCore
import MarqueeStore
import ServiceLifecycle

/// Reads the outbox when something changed and at least every `pollInterval`, and passes
/// each new event on: to the live streams of its show, and to the read cache, which forgets
/// that show.
///
/// It is woken by another instance's change (through PostgreSQL's LISTEN), by expired holds,
/// and by this instance's own changes while a live stream is open. With no stream open, an
/// own change needs no read: its show has already left the cache, so the read waits for the
/// next wake-up or tick. At one booking connection that saves a third of the statements.
struct OutboxReader: Service {
    let store: any BookingStore
    let hub: LiveStreamHub
    let cache: ReadCache
    let logger: Logger
    let started: StartupGate
    let pollInterval: Duration
    let heartbeat: Duration
    private let wakeups: OutboxWakeups

    init(
        store: any BookingStore, hub: LiveStreamHub, cache: ReadCache, changes: OutboxSignal, logger: Logger,
        started: StartupGate, pollInterval: Duration = .seconds(1), heartbeat: Duration = .seconds(15)
    ) {
        self.store = store
        self.hub = hub
        self.cache = cache
        self.logger = logger
        self.started = started
        self.pollInterval = pollInterval
        self.heartbeat = heartbeat
        wakeups = changes.subscribe(wantsOwnChanges: { [hub] in hub.isWatched })
    }

    /// Asks for a read of the outbox soon (a notification from another instance).
    func wake() { wakeups.wake() }

    func run() async throws {
        defer { hub.finishAll() }
        await cancelWhenGracefulShutdown {
            await started.wait()
            guard let start = await retrying({ try await store.latestEventId() }) else { return }
            var cursor = OutboxCursor(after: start)
            await withDiscardingTaskGroup { group in
                group.addTask {
                    // One timer for every live stream's heartbeat.
                    while !Task.isCancelled {
                        try? await Task.sleep(for: heartbeat)
                        hub.heartbeat()
                    }
                }
                await wakeups.run(every: pollInterval) { await passOn(from: &cursor) }
                group.cancelAll()
            }
        }
    }

    /// Reads and passes on everything new, in batches.
    private func passOn(from cursor: inout OutboxCursor) async {
        let batchSize = 500
        do {
            var batch: [BookingEvent]
            repeat {
                let read = ContinuousClock.now
                batch = try await store.events(after: cursor.high, orAmong: cursor.missingIds, limit: batchSize)
                let fresh = cursor.advance(with: batch, at: .now)
                guard !fresh.isEmpty else { continue }
                // With replicas, refills must have replayed these events: the primary's position
                // read after them (nil, when it cannot be read, sends refills to the primary).
                let position = try? await store.walPosition(after: read)
                cache.invalidate(showIds: Set(fresh.map(\.showId)), at: position)
                hub.publish(fresh)
            } while batch.count == batchSize && !Task.isCancelled
        } catch {
            logger.warning("Reading the outbox failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func retrying<T: Sendable>(_ body: @Sendable () async throws -> T) async -> T? {
        while !Task.isCancelled {
            do { return try await body() } catch {
                logger.warning("Reading the outbox failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: pollInterval)
            }
        }
        return nil
    }
}
