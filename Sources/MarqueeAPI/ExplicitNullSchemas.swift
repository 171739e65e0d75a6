public import Foundation

// The schemas of openapi.yaml with a required, nullable member. Their fields and
// names mirror the document exactly; only the encoding of `nil` differs from what the
// generator would write (it would leave the key out, where API.md wants `null`).

/// `#/components/schemas/Booking`.
public struct BookingBody: Codable, Hashable, Sendable {
    public var id: String
    public var showId: String
    public var userId: String
    public var userName: String
    public var seats: [Int]
    /// One per seat, in the same order: "Stalls, Row A, Seat 3" with a venue, "Seat 12" without.
    public var seatLabels: [String]
    public var status: Components.Schemas.BookingStatus
    public var createdAt: Date
    /// Set while `PENDING`, null otherwise.
    public var expiresAt: Date?

    public init(
        id: String, showId: String, userId: String, userName: String, seats: [Int], seatLabels: [String],
        status: Components.Schemas.BookingStatus, createdAt: Date, expiresAt: Date?
    ) {
        self.id = id
        self.showId = showId
        self.userId = userId
        self.userName = userName
        self.seats = seats
        self.seatLabels = seatLabels
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, showId, userId, userName, seats, seatLabels, status, createdAt, expiresAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(showId, forKey: .showId)
        try container.encode(userId, forKey: .userId)
        try container.encode(userName, forKey: .userName)
        try container.encode(seats, forKey: .seats)
        try container.encode(seatLabels, forKey: .seatLabels)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
    }
}

/// `#/components/schemas/Show`.
public struct ShowBody: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var startTime: Date
    public var totalSeats: Int
    /// totalSeats minus confirmed, unexpired held and blocked seats.
    public var availableSeats: Int
    public var createdAt: Date
    /// The show's venue; null for a show of numbered seats only.
    public var venueId: String?

    public init(
        id: String, name: String, startTime: Date, totalSeats: Int, availableSeats: Int, createdAt: Date,
        venueId: String?
    ) {
        self.id = id
        self.name = name
        self.startTime = startTime
        self.totalSeats = totalSeats
        self.availableSeats = availableSeats
        self.createdAt = createdAt
        self.venueId = venueId
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, startTime, totalSeats, availableSeats, createdAt, venueId
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(startTime, forKey: .startTime)
        try container.encode(totalSeats, forKey: .totalSeats)
        try container.encode(availableSeats, forKey: .availableSeats)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(venueId, forKey: .venueId)
    }
}

/// `#/components/schemas/ShowPage`.
public struct ShowPageBody: Codable, Hashable, Sendable {
    public var items: [ShowBody]
    /// Pass as `cursor` for the next page; null on the last page.
    public var nextCursor: String?

    public init(items: [ShowBody], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey {
        case items, nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
