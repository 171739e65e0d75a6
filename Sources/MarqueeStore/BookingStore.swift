import Foundation
import MarqueeCore

/// The seam between the domain and a database. Two implementations, ``SQLiteStore`` and
/// ``PostgresStore``, pass one conformance suite; nothing is tested only against a fake.
///
/// Methods that depend on the time take `now`, so expiry never depends on a background job
/// having run, and tests can move time instead of sleeping.
public protocol BookingStore: Sendable {
    /// Brings the schema to the newest version. Safe when several instances start at once.
    func migrate() async throws
    /// Answers when the database does; throws when it does not.
    func ping() async throws

    /// Creates an account; throws ``MarqueeError/emailTaken`` when the email is in use.
    func createUser(_ user: NewUser) async throws -> User
    /// The account with this email (compared case-insensitively) and its password hash.
    func credentials(email: String) async throws -> Credentials?
    func user(id: String) async throws -> User?
    /// Creates an admin, or makes an existing account (by email) an admin; with a hash, the
    /// password is set too.
    func ensureAdmin(email: String, name: String, passwordHash: String?, now: Date) async throws -> User

    func createShow(_ show: NewShow, now: Date) async throws -> Show
    func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage
    func show(id: String, now: Date) async throws -> ShowDetail?

    /// Books all of the seats or none, in one transaction that also writes the seat claims
    /// the database uses to refuse a double sale. Throws ``MarqueeError/notFound(_:)`` for an
    /// unknown show, ``MarqueeError/validation(_:)`` for seats outside the show and
    /// ``MarqueeError/seatsTaken(_:)`` naming the seats that are taken.
    func book(_ request: BookingRequest, now: Date) async throws -> Booking
    /// A user's bookings, newest first.
    func bookings(userId: String) async throws -> [Booking]
    func booking(id: String) async throws -> Booking?

    /// Releases connections. The store is not used afterwards.
    func close() async throws
}

/// An account to create; the password is already hashed.
public struct NewUser: Sendable {
    public var name: String
    public var email: String
    public var passwordHash: String
    public var role: UserRole
    public var createdAt: Date

    public init(name: String, email: String, passwordHash: String, role: UserRole = .customer, createdAt: Date) {
        self.name = name
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
    }
}

/// An account and its password hash, for checking a login.
public struct Credentials: Sendable {
    public var user: User
    public var passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// A validated request to book seats. The user's name is the server's, never the client's.
public struct BookingRequest: Sendable {
    public var showId: String
    public var userId: String
    public var userName: String
    public var seats: SeatSet
    /// Nil books at once (`CONFIRMED`); a date holds the seats until then (`PENDING`).
    public var holdUntil: Date?

    public init(showId: String, userId: String, userName: String, seats: SeatSet, holdUntil: Date? = nil) {
        self.showId = showId
        self.userId = userId
        self.userName = userName
        self.seats = seats
        self.holdUntil = holdUntil
    }
}
