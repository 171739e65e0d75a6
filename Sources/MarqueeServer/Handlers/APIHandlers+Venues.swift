import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore

/// Venues and their seating plans. A plan is immutable and can be 16 MiB, so its answers
/// are written from the stored JSON text (through ``RequestScope/replay``, as idempotent
/// replays are) rather than decoded and encoded again; ``VenueCache`` keeps them.
extension APIHandlers {
    func createVenue(_ input: Operations.CreateVenue.Input) async throws -> Operations.CreateVenue.Output {
        guard try await authenticatedUser().role == .admin else { throw MarqueeError.forbidden }
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        let layout = Layout(body.layout)
        let name = try VenueRules.validate(name: body.name, layout: layout)
        let record = try await store.createVenue(
            NewVenue(name: name, totalSeats: layout.totalSeats, layoutJSON: try VenueCache.json(layout)), now: clock())
        let answer = try venues.answer(for: record)
        RequestScope.current.replay.withLockedValue { $0 = StoredResponse(status: 201, body: answer) }
        return .undocumented(statusCode: 201, .init())
    }

    func listVenues(_ input: Operations.ListVenues.Input) async throws -> Operations.ListVenues.Output {
        guard try await authenticatedUser().role == .admin else { throw MarqueeError.forbidden }
        let items = try await store.venues().map {
            Components.Schemas.VenueSummary(id: $0.id, name: $0.name, totalSeats: $0.totalSeats, createdAt: $0.createdAt)
        }
        return .ok(.init(body: .json(.init(items: items))))
    }

    func getVenue(_ input: Operations.GetVenue.Input) async throws -> Operations.GetVenue.Output {
        let id = input.path.id
        let answer: String
        if let known = venues.answer(id: id) {
            answer = known
        } else {
            guard Identifier.isWellFormed(id), let record = try await store.venue(id: id) else {
                throw MarqueeError.notFound("venue")
            }
            answer = try venues.answer(for: record)
        }
        RequestScope.current.replay.withLockedValue { $0 = StoredResponse(status: 200, body: answer) }
        return .undocumented(statusCode: 200, .init())
    }
}

extension Layout {
    /// The plan as the API sent it.
    init(_ layout: Components.Schemas.Layout) {
        self.init(
            version: layout.version,
            stage: layout.stage.map { Stage(x: $0.x, y: $0.y, label: $0.label) },
            categories: (layout.categories ?? []).map { Category(key: $0.key, label: $0.label, color: $0.color) },
            sections: layout.sections.map { section in
                Section(
                    key: section.key, label: section.label,
                    rows: section.rows.map { row in
                        Row(
                            label: row.label,
                            seats: row.seats.map { seat in
                                Seat(
                                    n: seat.n, label: seat.label, x: seat.x, y: seat.y, category: seat.category,
                                    accessible: seat.accessible, companion: seat.companion, aisleBefore: seat.aisleBefore)
                            })
                    })
            })
    }
}
