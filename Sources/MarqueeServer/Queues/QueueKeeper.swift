import Foundation
import Logging
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import ServiceLifecycle

/// The beat of the queues on this instance, every `interval` (a quarter second): one call to
/// ``BookingStore/tickQueues(keeper:now:lease:)``, which advances the watermarks whose lease
/// this instance holds or can take (one keeper per queue at a time; another takes over
/// within `lease` of a keeper dying), and reads every live queue for ``QueueBoard``. Then the
/// live status streams hear of each change, and at least every 5 s. While the database is
/// away, what the board knows is served and the beat resumes when it is back.
struct QueueKeeper: Service {
    let store: any BookingStore
    let board: QueueBoard
    let streams: LiveStreamHub
    let metrics: MarqueeMetrics
    let clock: @Sendable () -> Date
    let interval: Duration
    let lease: Duration
    /// This instance's name as a keeper.
    let keeperId: String
    let logger: Logger
    /// Opens when the schema is migrated.
    let started: StartupGate

    /// A stream hears the status at least this often, changed or not.
    static let resendEvery: TimeInterval = 5

    func run() async throws {
        // Open status streams end with the server, so their connections can close.
        defer { streams.finishAll() }
        await cancelWhenGracefulShutdown { await started.wait() }
        var sent: [String: (frame: String, at: Date)] = [:]
        var failing = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await beat(sent: &sent)
                if failing { logger.info("Queue beat works again") }
                failing = false
            } catch {
                if !failing {
                    logger.warning(
                        "Queue beat failed; positions are served from the last one",
                        metadata: ["error": "\(String(reflecting: error))"])
                }
                failing = true
            }
            try? await gracefulShutdown(sleeping: interval)
        }
    }

    func beat(sent: inout [String: (frame: String, at: Date)]) async throws {
        let now = clock()
        let tick = try await DatabaseDeadline.$current.withValue(.now + .seconds(2)) {
            try await store.tickQueues(keeper: keeperId, now: now, lease: lease)
        }
        board.update(tick.queues, at: now)
        board.prune(keeping: Set(tick.queues.map(\.showId)))
        metrics.queueWaiting(tick.queues.filter { $0.state(at: now) == .open }.reduce(0) { $0 + $1.waiting })
        for waits in tick.waits.values { metrics.queueAdmitted(waits: waits) }
        for queue in tick.queues where streams.isWatched(queue.showId) {
            let frame = try ServerSentEvent.queue(QueueStatusBody(queue, now: now))
            if let last = sent[queue.showId], last.frame == frame, now.timeIntervalSince(last.at) < Self.resendEvery {
                continue
            }
            streams.send(frame, to: queue.showId)
            sent[queue.showId] = (frame, now)
        }
        sent = sent.filter { streams.isWatched($0.key) }
    }
}

extension QueueStatusBody {
    /// The queue's public status at `now`.
    init(_ queue: QueueSnapshot, now: Date) {
        self.init(
            showId: queue.showId, state: Components.Schemas.QueueState(queue.state(at: now)), onSaleAt: queue.onSaleAt,
            admitPerMinute: queue.admitPerMinute, waiting: queue.waiting, admitted: queue.serving, serving: queue.serving,
            shuffleCommitment: queue.commitment, seed: queue.revealedSeed(at: now))
    }
}

extension Components.Schemas.QueueState {
    init(_ state: QueueState) {
        self =
            switch state {
            case .scheduled: .scheduled
            case .open: .open
            case .paused: .paused
            case .closed: .closed
            }
    }
}

extension ServerSentEvent {
    /// A queue's status as an event `queue`.
    static func queue(_ status: QueueStatusBody) throws -> String {
        "event: queue\ndata: \(String(decoding: try APIJSON.encode(status), as: UTF8.self))\n\n"
    }
}
