import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore

/// Venues and their seating plans. A plan is immutable and can be 16 MiB, so its answers
/// are written from the stored JSON text (through ``RequestScope/replay``, as idempotent
/// replays are) rather than decoded and encoded again; ``SeatPlans`` keeps them.
extension APIHandlers {
    func createVenue(_ input: Operations.CreateVenue.Input) async throws -> Operations.CreateVenue.Output {
        guard try await authenticatedUser().role == .admin else { throw MarqueeError.forbidden }
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        let layout = Layout(body.layout)
        let name = try VenueRules.validate(name: body.name, layout: layout)
        let record = try await store.createVenue(
            NewVenue(name: name, totalSeats: layout.totalSeats, layoutJSON: try Self.json(layout)), now: clock())
        let answer = try plans.keep(record).venueAnswer()
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
        guard let plan = try await plans.plan(venueId: input.path.id) else { throw MarqueeError.notFound("venue") }
        let answer = try plan.venueAnswer()
        RequestScope.current.replay.withLockedValue { $0 = StoredResponse(status: 200, body: answer) }
        return .undocumented(statusCode: 200, .init())
    }

    /// A value (the plan as stored, or a member of an answer) as compact JSON with sorted
    /// keys, members that are not set left out.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension SeatPlans.Plan {
    /// The `venue` document, keys in sorted order as every other answer has them.
    func venueAnswer() throws -> String {
        "{\"createdAt\":\(try APIHandlers.json(try RFC3339DateTranscoder().encode(record.createdAt))),"
            + "\"id\":\(try APIHandlers.json(record.id)),\"layout\":\(layoutJSON),"
            + "\"name\":\(try APIHandlers.json(record.name)),\"totalSeats\":\(record.totalSeats)}"
    }

    /// Each section of the plan with its seats and how many of them are free.
    func sections(unavailable: Set<Int>) -> [Components.Schemas.ShowSection] {
        layout.sections.map { section in
            let seats = section.rows.flatMap(\.seats)
            return .init(
                key: section.key, label: section.label, totalSeats: seats.count,
                availableSeats: seats.count { !unavailable.contains($0.n) })
        }
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
