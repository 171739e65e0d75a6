import Foundation

/// A change to a show's seats (or a new show), as recorded in the outbox in the same
/// transaction as the change itself. Events feed live seat maps, cache invalidation and
/// webhooks, and a Kafka deployment can stream them with change-data capture.
public struct BookingEvent: Sendable, Equatable {
    /// What happened. The raw values are the `type` column and the webhook event names.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case bookingConfirmed = "booking.confirmed"
        case holdCreated = "hold.created"
        case holdConfirmed = "hold.confirmed"
        case bookingCancelled = "booking.cancelled"
        case holdExpired = "hold.expired"
        case showCreated = "show.created"
        /// Seats an admin took out of sale (house seats, broken seats); `bookingId` is nil.
        case seatsBlocked = "seats.blocked"
        /// Blocked seats put back on sale.
        case seatsUnblocked = "seats.unblocked"
    }

    /// Increasing with each event; for one show, in the order the changes committed.
    public var id: Int64
    public var kind: Kind
    public var showId: String
    public var bookingId: String?
    public var seats: [Int]
    public var createdAt: Date
    // The event as JSON, the outbox's `payload` column, is for consumers outside the server:
    // webhook deliveries carry it, and change-data capture reads it. The server's own reads
    // leave it out: they do not need it, and turning jsonb into text was about 1 % of
    // PostgreSQL's instructions per booking (docs/PERFORMANCE.md, "The batch as arrays").

    public init(id: Int64, kind: Kind, showId: String, bookingId: String?, seats: [Int], createdAt: Date) {
        self.id = id
        self.kind = kind
        self.showId = showId
        self.bookingId = bookingId
        self.seats = seats
        self.createdAt = createdAt
    }

    /// Seats this event takes: a new booking or hold, or a block.
    public var taken: [Int] { [.bookingConfirmed, .holdCreated, .seatsBlocked].contains(kind) ? seats : [] }
    /// Seats this event frees: a cancel, an expiry, or an unblock.
    public var freed: [Int] { [.bookingCancelled, .holdExpired, .seatsUnblocked].contains(kind) ? seats : [] }
    /// Whether a seat map changes: a hold confirmed keeps the same seats taken.
    public var changesSeats: Bool { !taken.isEmpty || !freed.isEmpty }
}

/// A show's taken seats and the last event that shaped them, read together, so a live map
/// can start from the snapshot and apply only later events.
public struct SeatSnapshot: Sendable, Equatable {
    public var takenSeats: [Int]
    /// The newest event of this show when the snapshot was read (0: none yet).
    public var lastEventId: Int64

    public init(takenSeats: [Int], lastEventId: Int64) {
        self.takenSeats = takenSeats
        self.lastEventId = lastEventId
    }
}
