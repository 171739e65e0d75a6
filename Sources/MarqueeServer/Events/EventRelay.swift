import Foundation
import Logging
import MarqueeCore
import MarqueeStore
import ServiceLifecycle

/// Reads the outbox whenever a change is announced (by this instance, or by another one
/// through PostgreSQL's LISTEN) and at least every `pollInterval`, and passes each new event
/// on: to the live streams of its show, and to the read cache, which forgets that show.
struct EventRelay: Service {
    let store: any BookingStore
    let hub: EventHub
    let cache: ReadCache
    let logger: Logger
    let started: StartupGate
    let pollInterval: Duration
    let heartbeat: Duration
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(
        store: any BookingStore, hub: EventHub, cache: ReadCache, changes: ChangeFeed, logger: Logger,
        started: StartupGate, pollInterval: Duration = .seconds(1), heartbeat: Duration = .seconds(15)
    ) {
        self.store = store
        self.hub = hub
        self.cache = cache
        self.logger = logger
        self.started = started
        self.pollInterval = pollInterval
        self.heartbeat = heartbeat
        (wakeups, wake) = changes.wakeups()
    }

    /// Asks for a read of the outbox soon (a notification from another instance).
    func poke() { wake.yield() }

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
                group.addTask {
                    // The floor under every other wake-up: a lost notification costs a second.
                    while !Task.isCancelled {
                        try? await Task.sleep(for: pollInterval)
                        wake.yield()
                    }
                }
                for await _ in wakeups {
                    await relay(from: &cursor)
                }
                group.cancelAll()
            }
        }
    }

    /// Reads and passes on everything new, in batches.
    private func relay(from cursor: inout OutboxCursor) async {
        let batchSize = 500
        do {
            var batch: [BookingEvent]
            repeat {
                batch = try await store.events(after: cursor.high, orAmong: cursor.missingIds, limit: batchSize)
                let fresh = cursor.advance(with: batch, at: .now)
                guard !fresh.isEmpty else { continue }
                cache.invalidate(showIds: Set(fresh.map(\.showId)))
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

/// Runs the PostgreSQL side of change announcements: `NOTIFY` after this instance's
/// commits (coalesced), and the `LISTEN` connection that wakes the relay for everyone else's.
struct PostgresChangeService: Service {
    let store: PostgresStore
    let listener: PostgresChangeListener
    let changes: ChangeFeed
    let logger: Logger
    let started: StartupGate

    func run() async throws {
        let (localChanges, _) = changes.wakeups()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await listener.run() }
                group.addTask {
                    await started.wait()
                    for await _ in localChanges {
                        do { try await store.notifyChanges() } catch {
                            logger.warning("NOTIFY failed; other instances catch up within a second",
                                           metadata: ["error": "\(String(reflecting: error))"])
                        }
                    }
                }
            }
        }
    }
}
