import Foundation

/// One failed rule of a request, named by the field it concerns.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Everything that can go wrong in Marquee's domain. The HTTP layer maps each case to one
/// status code, in one place.
public enum MarqueeError: Error, Sendable, Equatable {
    /// The request breaks one or more rules (422).
    case validation([FieldError])
    /// No such thing, or not the caller's to see (404). The associated value names what.
    case notFound(String)
    /// Some of the requested seats are taken (409).
    case seatsTaken([Int])
    /// An account with this email exists (409).
    case emailTaken
    /// The request conflicts with the booking's current state (409).
    case conflict(String)
    /// A hold was confirmed after it had expired (410).
    case holdExpired
    /// Missing, malformed, expired or forged credentials (401).
    case unauthenticated(String)
    /// Authenticated, but without the needed role (403).
    case forbidden
    /// Too many attempts; try again after the given number of seconds (429).
    case throttled(retryAfterSeconds: Int)
    /// The user already has the most active holds allowed (429).
    case tooManyHolds(limit: Int)
    /// Best available found no block of the seats asked for (409); the largest block free now
    /// that matches the same filters.
    case noAdjacentSeats(largestBlock: Int)
    /// The client's address has the most live streams open that it may (429).
    case tooManyStreams(limit: Int)
    /// An idempotency key was reused with a different body (422).
    case idempotencyKeyReused
    /// A request with this idempotency key is still being processed (409).
    case idempotencyKeyInFlight
    /// The show is not on sale yet (403 `not-on-sale`, with `onSaleAt`).
    case notOnSale(onSaleAt: Date)
    /// Booking a show with a queue needs a good pass (403), for the reason given.
    case queuePass(QueuePassRefusal)
    /// The show has no queue to join (409 `no-queue`).
    case noQueue
    /// The database is unreachable or did not answer in time (503 with `Retry-After`). A
    /// change that got this answer may or may not have been made: only a 2xx acknowledges.
    case databaseUnavailable
    /// More requests are waiting than the server admits; try again after the given number of
    /// seconds (503). Nothing was done.
    case overloaded(retryAfterSeconds: Int)
}

/// Why a booking's `Queue-Pass` was refused.
public enum QueuePassRefusal: Sendable, Equatable {
    /// None was sent (`queue-pass-required`).
    case required
    /// Forged, expired, another account's or another show's (`queue-pass-invalid`).
    case invalid
    /// It has booked before (`queue-pass-invalid`).
    case used
}
