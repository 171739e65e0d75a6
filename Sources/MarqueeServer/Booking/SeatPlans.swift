import CompressNIO
import Foundation
import MarqueeCore
import MarqueeStore
import NIOConcurrencyHelpers
import NIOCore

/// Seating plans in memory. A venue's plan never changes, and neither does a show's venue, so
/// both are read from the store once and kept: labels, sections, best available and the
/// layout route then cost no query. Bounded by the seats kept, so that many large plans
/// cannot take all memory.
final class SeatPlans: Sendable {
    /// One venue, read with its plan.
    struct Plan: Sendable {
        let record: VenueRecord
        /// The plan as stored: the bytes every answer serves.
        let layoutJSON: String
        /// The same bytes ready to send, and gzipped once for clients that accept it.
        let layoutBody: ByteBuffer
        let layoutGzipped: ByteBuffer?
        let index: SeatIndex
        /// A strong validator for the plan: it names the venue, whose plan never changes.
        var etag: String { "\"venue-\(record.id)\"" }
        var layout: Layout { index.layout }

        /// How a booking names its seats.
        func labels(_ seats: [Int]) -> [String] { seats.map(index.label(of:)) }
    }

    private struct State {
        var plans: [String: Plan] = [:]
        var seatsKept = 0
        /// Each show's venue (nil: none) once read.
        var showVenues: [String: String?] = [:]
    }

    private let state = NIOLockedValueBox(State())
    let store: any BookingStore
    /// The most seats kept over all plans; past it the plans are read again as needed.
    let seatCapacity: Int
    let showCapacity: Int

    init(store: any BookingStore, seatCapacity: Int = 2_000_000, showCapacity: Int = 100_000) {
        self.store = store
        self.seatCapacity = seatCapacity
        self.showCapacity = showCapacity
    }

    /// The venue with its plan; nil when no venue has this id.
    func plan(venueId: String) async throws -> Plan? {
        if let known = state.withLockedValue({ $0.plans[venueId] }) { return known }
        guard Identifier.isWellFormed(venueId), let record = try await store.venue(id: venueId) else { return nil }
        return try keep(record)
    }

    /// Keeps a venue read (or just made) with its plan, and returns it.
    @discardableResult
    func keep(_ record: VenueRecord) throws -> Plan {
        guard let json = record.layoutJSON else { throw MarqueeError.notFound("venue") }
        let layout = try JSONDecoder().decode(Layout.self, from: Data(json.utf8))
        let body = ByteBuffer(string: json)
        var source = body
        let plan = Plan(
            record: record, layoutJSON: json, layoutBody: body,
            layoutGzipped: try? source.compress(with: .gzip()), index: SeatIndex(layout))
        state.withLockedValue { state in
            if state.seatsKept + record.totalSeats > seatCapacity {
                state.plans.removeAll(keepingCapacity: true)
                state.seatsKept = 0
            }
            if state.plans.updateValue(plan, forKey: record.id) == nil { state.seatsKept += record.totalSeats }
        }
        return plan
    }

    /// Remembers a show's venue, known when the show is made or read.
    func remember(showId: String, venueId: String?) {
        state.withLockedValue { state in
            if state.showVenues.count >= showCapacity { state.showVenues.removeAll(keepingCapacity: true) }
            state.showVenues[showId] = .some(venueId)
        }
    }

    /// The plan of the show's venue; nil for a show without a venue or an unknown show.
    func plan(showId: String) async throws -> Plan? {
        let known = state.withLockedValue { $0.showVenues[showId] }
        let venueId: String?
        if let known {
            venueId = known
        } else {
            guard Identifier.isWellFormed(showId), let detail = try await store.show(id: showId, now: Date()) else {
                return nil
            }
            remember(showId: showId, venueId: detail.show.venueId)
            venueId = detail.show.venueId
        }
        guard let venueId else { return nil }
        return try await plan(venueId: venueId)
    }

    /// How a booking of `showId` names `seats`: by the venue's plan, else "Seat 12".
    func labels(showId: String, seats: [Int]) async throws -> [String] {
        guard let plan = try await plan(showId: showId) else { return seats.map(SeatLabels.plain) }
        return plan.labels(seats)
    }
}
