import Foundation

/// A validated request to book seats. The user's name is the server's, never the client's.
public struct BookingRequest: Sendable {
    /// The new booking's id, chosen before the transaction so its answer can be stored with it.
    public var id: String
    public var showId: String
    public var userId: String
    public var userName: String
    public var seats: SeatSet
    /// Nil books at once (`CONFIRMED`); a date holds the seats until then (`PENDING`).
    public var holdUntil: Date?
    /// With a hold: the most active holds the user may have, this one included.
    public var maxActiveHolds: Int?
    /// The idempotency key and the answer to store with the booking, in its transaction.
    public var idempotency: (key: IdempotencyKey, response: StoredResponse)?
    /// The queue entry whose pass this booking uses: a pass books once, recorded in the
    /// booking's transaction (``MarqueeError/queuePass(_:)`` `.used` the second time).
    public var queueEntryId: String?

    public init(
        id: String = Identifier.make(), showId: String, userId: String, userName: String, seats: SeatSet,
        holdUntil: Date? = nil, maxActiveHolds: Int? = nil,
        idempotency: (key: IdempotencyKey, response: StoredResponse)? = nil, queueEntryId: String? = nil
    ) {
        self.id = id
        self.showId = showId
        self.userId = userId
        self.userName = userName
        self.seats = seats
        self.holdUntil = holdUntil
        self.maxActiveHolds = maxActiveHolds
        self.idempotency = idempotency
        self.queueEntryId = queueEntryId
    }

    /// The booking this request makes if it succeeds at `now`.
    public func booking(at now: Date) -> Booking {
        Booking(
            id: id, showId: showId, userId: userId, userName: userName, seats: seats.seats,
            status: holdUntil == nil ? .confirmed : .pending, createdAt: now, expiresAt: holdUntil)
    }
}

/// An `Idempotency-Key`, scoped to the user who sent it, with the fingerprint of the body.
public struct IdempotencyKey: Sendable, Equatable {
    public var userId: String
    public var key: String
    public var fingerprint: String

    public init(userId: String, key: String, fingerprint: String) {
        self.userId = userId
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// A stored HTTP answer: status and body, replayed as they were.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// How a request under an idempotency key may go on.
public enum IdempotencyStart: Sendable, Equatable {
    /// First time (or the first attempt died): go ahead.
    case proceed
    /// Done before with the same body: answer exactly this.
    case replay(StoredResponse)
    /// The first request with this key has not answered yet.
    case inFlight
    /// The key was used with a different body.
    case mismatch
}
