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
    /// When booking opens; null when it was on sale from the start.
    public var onSaleAt: Date?
    public var queue: Components.Schemas.ShowQueue?

    public init(
        id: String, name: String, startTime: Date, totalSeats: Int, availableSeats: Int, createdAt: Date,
        venueId: String?, onSaleAt: Date?, queue: Components.Schemas.ShowQueue?
    ) {
        self.id = id
        self.name = name
        self.startTime = startTime
        self.totalSeats = totalSeats
        self.availableSeats = availableSeats
        self.createdAt = createdAt
        self.venueId = venueId
        self.onSaleAt = onSaleAt
        self.queue = queue
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, startTime, totalSeats, availableSeats, createdAt, venueId, onSaleAt, queue
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
        try container.encode(onSaleAt, forKey: .onSaleAt)
        try container.encode(queue, forKey: .queue)
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

/// `#/components/schemas/QueueEntry`.
public struct QueueEntryBody: Codable, Hashable, Sendable {
    public enum State: String, Codable, Hashable, Sendable {
        case waiting, admitted, done, expired, closed
    }

    public var id: String
    public var showId: String
    /// The place in line, 1-based; null until `onSaleAt` for those who joined before it.
    public var rank: Int?
    public var state: State
    public var aheadOfYou: Int
    public var estimatedWaitSeconds: Components.Schemas.WaitEstimate?
    public var likelySoldOut: Bool
    /// While admitted, the pass to send as `Queue-Pass`.
    public var pass: String?
    public var passExpiresAt: Date?
    public var joinedAt: Date

    public init(
        id: String, showId: String, rank: Int?, state: State, aheadOfYou: Int,
        estimatedWaitSeconds: Components.Schemas.WaitEstimate?, likelySoldOut: Bool, pass: String?,
        passExpiresAt: Date?, joinedAt: Date
    ) {
        self.id = id
        self.showId = showId
        self.rank = rank
        self.state = state
        self.aheadOfYou = aheadOfYou
        self.estimatedWaitSeconds = estimatedWaitSeconds
        self.likelySoldOut = likelySoldOut
        self.pass = pass
        self.passExpiresAt = passExpiresAt
        self.joinedAt = joinedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, showId, rank, state, aheadOfYou, estimatedWaitSeconds, likelySoldOut, pass, passExpiresAt, joinedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(showId, forKey: .showId)
        try container.encode(rank, forKey: .rank)
        try container.encode(state, forKey: .state)
        try container.encode(aheadOfYou, forKey: .aheadOfYou)
        try container.encode(estimatedWaitSeconds, forKey: .estimatedWaitSeconds)
        try container.encode(likelySoldOut, forKey: .likelySoldOut)
        try container.encode(pass, forKey: .pass)
        try container.encode(passExpiresAt, forKey: .passExpiresAt)
        try container.encode(joinedAt, forKey: .joinedAt)
    }
}

/// `#/components/schemas/QueueStatus`.
public struct QueueStatusBody: Codable, Hashable, Sendable {
    public var showId: String
    public var state: Components.Schemas.QueueState
    public var onSaleAt: Date
    public var admitPerMinute: Int
    public var waiting: Int
    public var admitted: Int
    public var serving: Int
    public var shuffleCommitment: String
    /// Null until `onSaleAt`.
    public var seed: String?

    public init(
        showId: String, state: Components.Schemas.QueueState, onSaleAt: Date, admitPerMinute: Int, waiting: Int,
        admitted: Int, serving: Int, shuffleCommitment: String, seed: String?
    ) {
        self.showId = showId
        self.state = state
        self.onSaleAt = onSaleAt
        self.admitPerMinute = admitPerMinute
        self.waiting = waiting
        self.admitted = admitted
        self.serving = serving
        self.shuffleCommitment = shuffleCommitment
        self.seed = seed
    }

    private enum CodingKeys: String, CodingKey {
        case showId, state, onSaleAt, admitPerMinute, waiting, admitted, serving, shuffleCommitment, seed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(showId, forKey: .showId)
        try container.encode(state, forKey: .state)
        try container.encode(onSaleAt, forKey: .onSaleAt)
        try container.encode(admitPerMinute, forKey: .admitPerMinute)
        try container.encode(waiting, forKey: .waiting)
        try container.encode(admitted, forKey: .admitted)
        try container.encode(serving, forKey: .serving)
        try container.encode(shuffleCommitment, forKey: .shuffleCommitment)
        try container.encode(seed, forKey: .seed)
    }
}

/// `#/components/schemas/CreateShowRequest`. Written by hand for its two times: a time the
/// generated decoder cannot read is reported without its member, and a new show has two, so
/// here each is read as text and a bad one is a decoding error on its own member
/// (422 naming `startTime` or `onSaleAt`).
public struct CreateShowBody: Codable, Hashable, Sendable {
    public var name: String
    public var startTime: Date
    public var totalSeats: Int?
    public var venueId: String?
    public var onSaleAt: Date?
    public var queue: Components.Schemas.CreateQueueRequest?

    public init(
        name: String, startTime: Date, totalSeats: Int? = nil, venueId: String? = nil, onSaleAt: Date? = nil,
        queue: Components.Schemas.CreateQueueRequest? = nil
    ) {
        self.name = name
        self.startTime = startTime
        self.totalSeats = totalSeats
        self.venueId = venueId
        self.onSaleAt = onSaleAt
        self.queue = queue
    }

    private enum CodingKeys: String, CodingKey {
        case name, startTime, totalSeats, venueId, onSaleAt, queue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func time(_ key: CodingKeys, _ text: String) throws -> Date {
            guard let date = try? RFC3339DateTranscoder().decode(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "Give an RFC 3339 time such as 2031-01-01T20:00:00Z.")
            }
            return date
        }
        name = try container.decode(String.self, forKey: .name)
        startTime = try time(.startTime, try container.decode(String.self, forKey: .startTime))
        totalSeats = try container.decodeIfPresent(Int.self, forKey: .totalSeats)
        venueId = try container.decodeIfPresent(String.self, forKey: .venueId)
        onSaleAt = try container.decodeIfPresent(String.self, forKey: .onSaleAt).map { try time(.onSaleAt, $0) }
        queue = try container.decodeIfPresent(Components.Schemas.CreateQueueRequest.self, forKey: .queue)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let transcoder = RFC3339DateTranscoder()
        try container.encode(name, forKey: .name)
        try container.encode(try transcoder.encode(startTime), forKey: .startTime)
        try container.encodeIfPresent(totalSeats, forKey: .totalSeats)
        try container.encodeIfPresent(venueId, forKey: .venueId)
        try container.encodeIfPresent(try onSaleAt.map(transcoder.encode), forKey: .onSaleAt)
        try container.encodeIfPresent(queue, forKey: .queue)
    }
}
