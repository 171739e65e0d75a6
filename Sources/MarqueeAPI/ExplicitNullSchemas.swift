public import Foundation

// The two schemas of openapi.yaml with a required, nullable member. Their fields and
// names mirror the document exactly; only the encoding of `nil` differs from what the
// generator would write (it would leave the key out, where API.md wants `null`).

/// `#/components/schemas/Booking`.
public struct BookingBody: Codable, Hashable, Sendable {
    public var id: String
    public var showId: String
    public var userId: String
    public var userName: String
    public var seats: [Int]
    public var status: Components.Schemas.BookingStatus
    public var createdAt: Date
    /// Set while `PENDING`, null otherwise.
    public var expiresAt: Date?

    public init(
        id: String, showId: String, userId: String, userName: String, seats: [Int],
        status: Components.Schemas.BookingStatus, createdAt: Date, expiresAt: Date?
    ) {
        self.id = id
        self.showId = showId
        self.userId = userId
        self.userName = userName
        self.seats = seats
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, showId, userId, userName, seats, status, createdAt, expiresAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(showId, forKey: .showId)
        try container.encode(userId, forKey: .userId)
        try container.encode(userName, forKey: .userName)
        try container.encode(seats, forKey: .seats)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
    }
}

/// `#/components/schemas/ShowPage`.
public struct ShowPageBody: Codable, Hashable, Sendable {
    public var items: [Components.Schemas.Show]
    /// Pass as `cursor` for the next page; null on the last page.
    public var nextCursor: String?

    public init(items: [Components.Schemas.Show], nextCursor: String?) {
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
