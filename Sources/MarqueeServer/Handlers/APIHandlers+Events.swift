import Foundation
import MarqueeAPI
import MarqueeCore
import OpenAPIRuntime

extension APIHandlers {
    /// `GET /api/shows/{id}/events`: a `snapshot`, then a `seats` event per change, as
    /// Server-Sent Events (see ``LiveSeatStream``).
    func showEvents(_ input: Operations.ShowEvents.Input) async throws -> Operations.ShowEvents.Output {
        let showId = input.path.id
        // Subscribe before reading, so a change committed in between is not lost; what both
        // see is sent once, because only events after the opening's are passed on.
        let subscription = try events.subscribe(
            showId: showId, address: RequestScope.current.clientAddress, limit: configuration.maxStreamsPerAddress)
        let opening: String
        let after: Int64
        do {
            guard let snapshot = try await store.seatSnapshot(showId: showId, now: clock()) else {
                throw MarqueeError.notFound("show")
            }
            let resumeFrom = input.headers.lastEventID.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            if let resumeFrom, resumeFrom <= snapshot.lastEventId,
                let missed = try await store.showEvents(showId: showId, after: resumeFrom, limit: 1_000), missed.count < 1_000
            {
                opening = ServerSentEvent.retry + missed.filter(\.changesSeats).map(ServerSentEvent.seats).joined()
                after = missed.last?.id ?? resumeFrom
            } else {
                opening = ServerSentEvent.retry + ServerSentEvent.snapshot(snapshot)
                after = snapshot.lastEventId
            }
        } catch {
            subscription.finish()
            throw error
        }

        let body = LiveSeatStream(opening: opening, subscription: subscription, after: after)
        return .ok(.init(body: .textEventStream(HTTPBody(body, length: .unknown, iterationBehavior: .single))))
    }
}
