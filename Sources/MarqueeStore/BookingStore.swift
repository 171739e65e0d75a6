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

    // Sessions: tokens ended before they expire (API.md, "Sessions (v2)").

    /// Ends one token, named by the SHA-256 of its text (hex), until `expiresAt`.
    func revokeToken(digest: String, userId: String, expiresAt: Date, now: Date) async throws
    /// Ends every token issued to the account so far by moving its session epoch on, and
    /// records that until `keepUntil` (when the last such token has expired). Returns the new
    /// epoch: tokens that carry an older one are refused. Nil for an unknown account.
    func revokeSessions(userId: String, keepUntil: Date, now: Date) async throws -> Int?
    /// Unexpired revocations with an id after `id`, and those recorded lately with a lower
    /// one (a transaction that took its id first may commit last), oldest first.
    func sessionRevocations(after id: Int64, now: Date) async throws -> [SessionRevocation]
    /// Deletes revocations that expired before `cutoff`; returns how many.
    func purgeSessionRevocations(expiredBefore cutoff: Date) async throws -> Int

    // Login throttling, counted here so that every instance sees the same counts.

    /// For each key that failed after `since`: how many times, and the oldest failure.
    func loginFailures(keys: [String], since: Date) async throws -> [String: LoginFailures]
    /// Records one failed login under each key.
    func recordLoginFailure(keys: [String], at: Date) async throws
    /// Deletes failures before `cutoff`; returns how many.
    func purgeLoginFailures(before cutoff: Date) async throws -> Int

    // Venues: a name and an immutable seating plan, stored as the JSON text given.

    func createVenue(_ venue: NewVenue, now: Date) async throws -> VenueRecord
    /// Every venue, newest first, without its plan (`layoutJSON` nil).
    func venues() async throws -> [VenueRecord]
    func venue(id: String) async throws -> VenueRecord?

    func createShow(_ show: NewShow, now: Date) async throws -> Show
    func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage
    func show(id: String, now: Date) async throws -> ShowDetail?
    /// Replaces the show's blocked seats with `seats`, and returns them sorted. The blocks are
    /// seat claims without a booking, so a blocked seat cannot be booked and a taken one
    /// cannot be blocked: ``MarqueeError/seatsTaken(_:)`` names the taken ones (a lapsed hold
    /// gives way, as to a booking). Each change is an outbox event (`seats.blocked`,
    /// `seats.unblocked`) in the same transaction.
    func setBlockedSeats(showId: String, seats: SeatSet, now: Date) async throws -> [Int]

    /// What booking the show needs (its on-sale time, whether a pass); nil for an unknown show.
    func saleTerms(showId: String) async throws -> SaleTerms?

    // Queues (API.md, "Queues"): all of a queue's state is here, so any instance answers for
    // it and nothing is lost on a restart.

    /// Puts the account in the show's line, or returns its entry as it is. An entry made
    /// before `onSaleAt` has no rank until the draw; one made after gets the next rank, after
    /// the whole pre-queue (the first join after `onSaleAt` draws the pre-queue if the keeper
    /// has not yet). Throws ``MarqueeError/notFound(_:)`` and ``MarqueeError/noQueue``.
    ///
    /// Several accounts join together in one transaction (one commit), in the order given, so
    /// that a flood of joins is not bound to a commit each; one answer per account, in order.
    /// An account named twice gets its entry twice, made once.
    func joinQueue(showId: String, userIds: [String], now: Date) async throws -> [QueueJoin]
    func queueEntry(showId: String, userId: String) async throws -> QueueEntryRecord?
    /// The queue's state now; nil when the show has no queue (or does not exist).
    func queue(showId: String) async throws -> QueueSnapshot?
    /// The pre-queue's entry ids in rank order, drawing it first if it is on sale at `now`
    /// and not drawn yet; nil before `onSaleAt` and for a show without a queue.
    func queueOrder(showId: String, now: Date) async throws -> [String]?
    /// One beat of the watermark keepers: for every queue on sale whose keeper lease is free,
    /// lapsed or `keeper`'s, takes the lease until `now + lease`, draws the pre-queue once on sale,
    /// counts the seats left (closing the queue when every seat is sold or blocked) and admits
    /// the ranks due (``QueuePacing``). Returns the state of every queue still open, or closed
    /// lately, for the instance to cache, and the waits of those this beat admitted. Safe with
    /// any number of instances beating at once.
    func tickQueues(keeper: String, now: Date, lease: Duration) async throws -> QueueTick
    /// Pauses, resumes or re-paces a queue. Throws ``MarqueeError/notFound(_:)`` without a
    /// queue and ``MarqueeError/conflict(_:)`` while it is scheduled or once it is closed.
    func changeQueue(showId: String, _ change: QueueChange, now: Date) async throws -> QueueSnapshot

    /// Books all of the seats or none, in one transaction that also writes the seat claims
    /// the database uses to refuse a double sale. Throws ``MarqueeError/notFound(_:)`` for an
    /// unknown show, ``MarqueeError/validation(_:)`` for seats outside the show and
    /// ``MarqueeError/seatsTaken(_:)`` naming the seats that are taken.
    func book(_ request: BookingRequest, now: Date) async throws -> Booking
    /// Books several requests, for one show or several, in one transaction (one commit). Each
    /// is decided on its own seats exactly as ``book(_:now:)`` would decide it alone, in the
    /// order given: a refused request changes nothing, and a later request sees an earlier
    /// one's seats as taken. Answers one result per request, in order; throws only when the
    /// transaction as a whole failed, and then none of them took effect.
    func bookTogether(_ batch: [(request: BookingRequest, now: Date)]) async throws -> [Result<Booking, MarqueeError>]
    /// A user's bookings, newest first.
    func bookings(userId: String) async throws -> [Booking]
    func booking(id: String) async throws -> Booking?

    /// Moves a booking from `from` to `to` if it is still in `from`, under the show's lock,
    /// and updates its seat claims to match (kept for CONFIRMED, freed otherwise). A PENDING
    /// booking moves to CONFIRMED or CANCELLED only while unexpired at `now`, and to EXPIRED
    /// only once lapsed. Returns whether it moved. ``settle(_:bookingId:userId:isAdmin:now:)``
    /// builds confirm and cancel on this.
    func transition(bookingId: String, from: BookingStatus, to: BookingStatus, now: Date) async throws -> Bool
    /// Marks up to `limit` lapsed holds EXPIRED and frees their seats; returns how many.
    /// Safe with several instances sweeping at once, and never makes a booking wait.
    func expireHolds(now: Date, limit: Int) async throws -> Int

    /// Starts a request under an idempotency key: records it as in flight, or says why not.
    /// An in-flight record older than `staleAfter` (its request died) is taken over.
    func beginIdempotent(_ key: IdempotencyKey, now: Date, staleAfter: Duration) async throws -> IdempotencyStart
    /// Stores the answer a request under `key` gave, for replays.
    func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws
    /// Forgets an in-flight key whose request failed without an answer worth replaying.
    func releaseIdempotent(_ key: IdempotencyKey) async throws
    /// Deletes keys created before `cutoff`; returns how many.
    func purgeIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int

    // The outbox: triggers write a ``BookingEvent`` in the same transaction as every change
    // to a show's seats and every new show, whichever code path made it.

    /// The newest event's id (0 when there is none): where a new reader starts.
    func latestEventId() async throws -> Int64
    /// Events after `id`, plus those of `missing` (ids passed over earlier because their
    /// transactions had not committed yet), oldest first.
    func events(after id: Int64, orAmong missing: [Int64], limit: Int) async throws -> [BookingEvent]
    /// One show's events after `id`, oldest first; nil when some of them may have been pruned.
    func showEvents(showId: String, after id: Int64, limit: Int) async throws -> [BookingEvent]?
    /// A show's taken seats and its newest event id, read at one moment; nil for an unknown show.
    func seatSnapshot(showId: String, now: Date) async throws -> SeatSnapshot?
    /// Deletes events created before `cutoff`, except the newest; returns how many.
    func pruneEvents(createdBefore cutoff: Date) async throws -> Int

    // Webhooks: endpoints, and deliveries queued by a trigger in each event's transaction.

    func createWebhook(_ webhook: NewWebhook, now: Date) async throws -> Webhook
    func webhooks() async throws -> [Webhook]
    /// Deletes a webhook and its deliveries; returns whether it existed.
    func deleteWebhook(id: String) async throws -> Bool
    /// A webhook's deliveries, newest first.
    func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDelivery]
    /// Claims up to `limit` due deliveries for one attempt each. A claim lasts until
    /// `now + lease`; a delivery whose attempt never reported back is claimed again after that.
    /// Safe with several instances claiming at once.
    func claimDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [DeliveryAttempt]
    /// Records how an attempt ended.
    func recordDelivery(id: Int64, outcome: DeliveryOutcome, now: Date) async throws

    /// Releases connections. The store is not used afterwards.
    func close() async throws

    /// The connection pool's state, for stores that have one.
    var poolStatistics: PoolStatistics? { get }

    /// The primary's WAL position, read after `mark`, when reads may be served by replicas
    /// (``PostgresStore`` with replicas); nil otherwise, when every read sees every commit.
    func walPosition(after mark: ContinuousClock.Instant) async throws -> WALPosition?
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

/// An account and its password hash, for checking a login, with the session epoch a token
/// issued now carries.
public struct Credentials: Sendable {
    public var user: User
    public var passwordHash: String
    public var sessionEpoch: Int

    public init(user: User, passwordHash: String, sessionEpoch: Int = 0) {
        self.user = user
        self.passwordHash = passwordHash
        self.sessionEpoch = sessionEpoch
    }
}

/// A venue to create: its plan already validated and written as JSON.
public struct NewVenue: Sendable {
    public var name: String
    public var totalSeats: Int
    public var layoutJSON: String

    public init(name: String, totalSeats: Int, layoutJSON: String) {
        self.name = name
        self.totalSeats = totalSeats
        self.layoutJSON = layoutJSON
    }
}

/// A stored venue; `layoutJSON` is nil where only the summary was read.
public struct VenueRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var totalSeats: Int
    public var createdAt: Date
    public var layoutJSON: String?

    public init(id: String, name: String, totalSeats: Int, createdAt: Date, layoutJSON: String?) {
        self.id = id
        self.name = name
        self.totalSeats = totalSeats
        self.createdAt = createdAt
        self.layoutJSON = layoutJSON
    }
}

/// The failed logins under one throttling key within a window.
public struct LoginFailures: Sendable, Equatable {
    public var count: Int
    public var oldest: Date

    public init(count: Int, oldest: Date) {
        self.count = count
        self.oldest = oldest
    }
}

/// One recorded end of sessions: a single token (logout) or every token of an account
/// issued before an epoch (logout-all).
public struct SessionRevocation: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// The SHA-256 of the token's text, hex.
        case token(digest: String)
        /// Tokens whose session epoch is lower than this.
        case epochsBefore(Int)
    }

    public var id: Int64
    public var userId: String
    public var target: Target
    public var expiresAt: Date

    public init(id: Int64, userId: String, target: Target, expiresAt: Date) {
        self.id = id
        self.userId = userId
        self.target = target
        self.expiresAt = expiresAt
    }
}


extension BookingStore {
    public func walPosition(after mark: ContinuousClock.Instant) async throws -> WALPosition? { nil }

    /// One account joins the show's queue (``joinQueue(showId:userIds:now:)`` for one).
    public func joinQueue(showId: String, userId: String, now: Date) async throws -> QueueJoin {
        guard let join = try await joinQueue(showId: showId, userIds: [userId], now: now).first else {
            throw MarqueeError.notFound("queue entry")
        }
        return join
    }

    /// Confirms or cancels a booking by the rules of ``Settlement``, applied with
    /// ``transition(bookingId:from:to:now:)``. When another change gets there first (a
    /// confirm, a cancel, the sweeper), this one is refused with 409 rather than decided again
    /// on the new state: every race ends in exactly one outcome.
    public func settle(_ action: BookingAction, bookingId: String, userId: String, isAdmin: Bool, now: Date)
        async throws -> Booking
    {
        guard let booking = try await booking(id: bookingId),
            Settlement.mayAct(action, userId: userId, isAdmin: isAdmin, ownerId: booking.userId)
        else { throw MarqueeError.notFound("booking") }
        switch try Settlement.decide(action, status: booking.status, expiresAt: booking.expiresAt, now: now) {
        case .move(let target):
            guard try await transition(bookingId: bookingId, from: booking.status, to: target, now: now) else {
                throw MarqueeError.conflict("Another change to this booking came first; read it again to see its state.")
            }
            var moved = booking
            moved.status = target
            moved.expiresAt = nil
            return moved
        case .lapse:
            _ = try await transition(bookingId: bookingId, from: .pending, to: .expired, now: now)
            throw Settlement.lapsedError(for: action)
        }
    }
}

/// Why an admin could not be created.
public enum AdminBootstrapError: Error, CustomStringConvertible {
    case passwordRequired(email: String)

    public var description: String {
        switch self {
        case .passwordRequired(let email): "No account \(email) exists yet; give a password to create it."
        }
    }
}

/// A database that cannot be opened or brought up to date as it is, with what to do about it.
public struct StoreSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
