import Foundation
import HTTPTypes
import Hummingbird
import MarqueeAPI
import MarqueeCore
import MarqueeStore

extension APIHandlers {
    func listShows(_ input: Operations.ListShows.Input) async throws -> Operations.ListShows.Output {
        let query = try ShowQuery(limit: input.query.limit, cursor: input.query.cursor, from: input.query.from)
        let page = try await store.shows(query, now: clock())
        return .ok(.init(body: .json(ShowPageBody(items: page.items.map(ShowBody.init), nextCursor: page.next?.encoded))))
    }

    func getShow(_ input: Operations.GetShow.Input) async throws -> Operations.GetShow.Output {
        guard let detail = try await store.show(id: input.path.id, now: clock()) else {
            throw MarqueeError.notFound("show")
        }
        plans.remember(showId: detail.show.id, venueId: detail.show.venueId)
        var sections: [Components.Schemas.ShowSection] = []
        if let venueId = detail.show.venueId, let plan = try await plans.plan(venueId: venueId) {
            sections = plan.sections(unavailable: Set(detail.takenSeats).union(detail.blockedSeats))
        }
        return .ok(.init(body: .json(.init(
            value1: .init(detail.show),
            value2: .init(takenSeats: detail.takenSeats, blockedSeats: detail.blockedSeats, sections: sections)))))
    }

    func createShow(_ input: Operations.CreateShow.Input) async throws -> Operations.CreateShow.Output {
        let user = try await authenticatedUser()
        guard user.role == .admin else { throw MarqueeError.forbidden }
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        var venue: SeatPlans.Plan?
        if let venueId = body.venueId { venue = try await plans.plan(venueId: venueId) }
        let show = try NewShow(
            name: body.name, startTime: body.startTime, totalSeats: body.totalSeats, venueId: body.venueId,
            venue: venue.map { ($0.record.id, $0.record.totalSeats) }, onSaleAt: body.onSaleAt,
            queue: body.queue.map { ($0.admitPerMinute, $0.passSeconds) })
        let created = try await store.createShow(show, now: clock())
        plans.remember(showId: created.id, venueId: created.venueId)
        desk.sales.remember(SaleTerms(onSaleAt: created.onSaleAt, hasQueue: created.queue != nil), showId: created.id)
        desk.showChanged(created.id)
        return .created(.init(body: .json(.init(created))))
    }

    /// The plan of the show's venue, from memory, with a validator that never changes.
    func getShowLayout(_ input: Operations.GetShowLayout.Input) async throws -> Operations.GetShowLayout.Output {
        guard let plan = try await plans.plan(showId: input.path.id) else {
            throw MarqueeError.notFound("show with a seating plan")
        }
        // Set here rather than through the generated headers, which would percent-encode
        // the quotes an entity tag must have.
        RequestScope.current.headers.withLockedValue {
            $0[.eTag] = plan.etag
            $0[.cacheControl] = "public, max-age=86400"
            $0[.vary] = "Accept-Encoding"
        }
        if let tags = input.headers.ifNoneMatch, EntityTag.matches(tags, plan.etag) {
            return .notModified(.init())
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        var body = plan.layoutBody
        if let gzipped = plan.layoutGzipped, Self.acceptsGzip(RequestScope.current.acceptEncoding) {
            headers[.contentEncoding] = "gzip"
            body = gzipped
        }
        RequestScope.current.answer.withLockedValue { $0 = Response(status: .ok, headers: headers, body: .init(byteBuffer: body)) }
        return .undocumented(statusCode: 200, .init())
    }

    /// Whether an `Accept-Encoding` header takes gzip (a `q` of 0 refuses it).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { return false }
            return !parts.dropFirst().contains { $0.hasPrefix("q=") && (Double($0.dropFirst(2)) ?? 1) == 0 }
        }
    }

    func setBlockedSeats(_ input: Operations.SetBlockedSeats.Input) async throws -> Operations.SetBlockedSeats.Output {
        guard try await authenticatedUser().role == .admin else { throw MarqueeError.forbidden }
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        guard Identifier.isWellFormed(input.path.id) else { throw MarqueeError.notFound("show") }
        let seats = try SeatSet(body.seats, maximum: NewShow.seatRange.upperBound, allowingEmpty: true)
        let blocked = try await store.setBlockedSeats(showId: input.path.id, seats: seats, now: clock())
        desk.showChanged(input.path.id)
        return .ok(.init(body: .json(.init(seats: blocked))))
    }
}
