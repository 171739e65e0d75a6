import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import OpenAPIRuntime

/// Queues (API.md, "Queues"): joining, one's entry, the public status and its live stream, the
/// audit order, and admin control. Positions and status come from ``QueueBoard``, which the
/// ``QueueKeeper`` refreshes every beat, so a poll reads no table.
extension APIHandlers {
    var queues: QueueBoard { desk.queues }

    /// The queue as this instance knows it, or read now for one it has not seen yet (made
    /// since the last beat); nil when the show has no queue.
    func queueSnapshot(showId: String) async throws -> QueueSnapshot? {
        if let known = queues.snapshot(showId: showId) { return known }
        guard Identifier.isWellFormed(showId), let read = try await store.queue(showId: showId) else { return nil }
        queues.remember(read, at: clock())
        return read
    }

    func joinQueue(_ input: Operations.JoinQueue.Input) async throws -> Operations.JoinQueue.Output {
        let user = try await authenticatedUser()
        guard Identifier.isWellFormed(input.path.id) else { throw MarqueeError.notFound("show") }
        let join = try await desk.queueJoins.join(showId: input.path.id, userId: user.id)
        queues.remember(join.entry, at: clock())
        let body = try await entryBody(join.entry)
        return join.created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func getMyQueueEntry(_ input: Operations.GetMyQueueEntry.Input) async throws -> Operations.GetMyQueueEntry.Output {
        let user = try await authenticatedUser()
        let showId = input.path.id
        guard let queue = try await queueSnapshot(showId: showId) else { throw MarqueeError.notFound("queue") }
        var entry = queues.entry(showId: showId, userId: user.id, now: clock())
        // Read again when what was read is behind the queue: drawn since (the rank), or
        // admitted by the watermark since (the admission time, which the pass runs from).
        if let known = entry, known.rank == nil, queue.ranked { entry = nil }
        if let known = entry, let rank = known.rank, rank <= queue.serving, known.admittedAt == nil { entry = nil }
        if entry == nil {
            entry = try await store.queueEntry(showId: showId, userId: user.id)
            if let entry { queues.remember(entry, at: clock()) }
        }
        guard let entry else { throw MarqueeError.notFound("queue entry") }
        return .ok(.init(body: .json(try await entryBody(entry))))
    }

    /// An entry as the API writes it, with its place now and, while admitted, its pass.
    func entryBody(_ entry: QueueEntryRecord) async throws -> QueueEntryBody {
        guard let queue = try await queueSnapshot(showId: entry.showId) else { throw MarqueeError.notFound("queue") }
        let now = clock()
        let place = QueuePlace.of(
            entry, in: queue, now: now, measuredPerSecond: queues.measuredPerSecond(showId: entry.showId))
        let pass = place.passExpiresAt.map {
            desk.passes.issue(.init(showId: entry.showId, entryId: entry.id, userId: entry.userId, expiresAt: $0))
        }
        return QueueEntryBody(
            id: entry.id, showId: entry.showId, rank: entry.rank,
            state: QueueEntryBody.State(rawValue: place.state.rawValue) ?? .waiting, aheadOfYou: place.aheadOfYou,
            estimatedWaitSeconds: place.estimatedWait.map { .init(low: $0.lowerBound, high: $0.upperBound) },
            likelySoldOut: place.likelySoldOut, pass: pass, passExpiresAt: place.passExpiresAt, joinedAt: entry.joinedAt)
    }

    func getQueueStatus(_ input: Operations.GetQueueStatus.Input) async throws -> Operations.GetQueueStatus.Output {
        guard let queue = try await queueSnapshot(showId: input.path.id) else { throw MarqueeError.notFound("queue") }
        return .ok(.init(body: .json(QueueStatusBody(queue, now: clock()))))
    }

    /// `GET /api/shows/{id}/queue/events`: the status on connect, then each change that the
    /// keeper's beat sees, and the status again at least every 5 s.
    func queueEvents(_ input: Operations.QueueEvents.Input) async throws -> Operations.QueueEvents.Output {
        let showId = input.path.id
        guard let queue = try await queueSnapshot(showId: showId) else { throw MarqueeError.notFound("queue") }
        let subscription = try queueStreams.subscribe(
            showId: showId, address: RequestScope.current.clientAddress, limit: configuration.maxStreamsPerAddress)
        let opening = ServerSentEvent.retry + (try ServerSentEvent.queue(QueueStatusBody(queue, now: clock())))
        let body = LiveSeatStream(opening: opening, subscription: subscription, after: 0)
        return .ok(.init(body: .textEventStream(HTTPBody(body, length: .unknown, iterationBehavior: .single))))
    }

    func getQueueOrder(_ input: Operations.GetQueueOrder.Input) async throws -> Operations.GetQueueOrder.Output {
        guard let queue = try await queueSnapshot(showId: input.path.id) else { throw MarqueeError.notFound("queue") }
        let now = clock()
        guard now >= queue.onSaleAt, let order = try await store.queueOrder(showId: queue.showId, now: now) else {
            throw MarqueeError.conflict("The pre-queue is drawn at onSaleAt; its order is published from then on.")
        }
        return .ok(.init(body: .json(.init(seed: queue.seed, entries: order))))
    }

    func updateQueue(_ input: Operations.UpdateQueue.Input) async throws -> Operations.UpdateQueue.Output {
        guard try await authenticatedUser().role == .admin else { throw MarqueeError.forbidden }
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        guard Identifier.isWellFormed(input.path.id) else { throw MarqueeError.notFound("queue") }
        let change = try QueueChange(paused: body.state.map { $0 == .paused }, admitPerMinute: body.admitPerMinute)
        let now = clock()
        let queue = try await store.changeQueue(showId: input.path.id, change, now: now)
        queues.remember(queue, at: now)
        desk.showChanged(queue.showId)
        return .ok(.init(body: .json(QueueStatusBody(queue, now: now))))
    }
}
