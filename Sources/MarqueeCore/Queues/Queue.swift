import Foundation

// Queues for on-sales (API.md, "Queues"): the values every layer shares. The rules that
// decide a place in line, its estimates and the pace of admission are in QueuePlace.swift
// and QueuePacing.swift, pure and tested without a database.

/// Where a queue is in its life.
public enum QueueState: String, Sendable, Equatable, CaseIterable {
    /// Before `onSaleAt`: people may join; no one has a rank yet.
    case scheduled
    /// Ranks are admitted at the set pace.
    case open
    /// An admin stopped admission for now; people may still join.
    case paused
    /// Sold out: nobody else will be admitted.
    case closed

    /// A queue's state at `now`, from what is stored: the one place this is decided.
    public static func of(onSaleAt: Date?, paused: Bool, closed: Bool, at now: Date) -> QueueState {
        if closed { return .closed }
        if let onSaleAt, now < onSaleAt { return .scheduled }
        return paused ? .paused : .open
    }
}

/// A queue's settings as an admin gives them, checked against API.md's ranges.
public struct QueueSettings: Sendable, Equatable {
    public static let admitRange = 1...100_000
    public static let passRange = 60...3600
    public static let defaultPassSeconds = 600

    /// How many ranks are admitted each minute, spread evenly over it.
    public var admitPerMinute: Int
    /// How long an admitted entry's pass lasts.
    public var passSeconds: Int

    public init(admitPerMinute: Int, passSeconds: Int? = nil) throws(MarqueeError) {
        var errors: [FieldError] = []
        if !Self.admitRange.contains(admitPerMinute) {
            errors.append(FieldError(field: "queue.admitPerMinute", message: "Admit 1 to 100000 people a minute."))
        }
        if let passSeconds, !Self.passRange.contains(passSeconds) {
            errors.append(FieldError(field: "queue.passSeconds", message: "A pass lasts 60 to 3600 seconds."))
        }
        guard errors.isEmpty else { throw .validation(errors) }
        self.admitPerMinute = admitPerMinute
        self.passSeconds = passSeconds ?? Self.defaultPassSeconds
    }

    /// A new queue with these settings, as its show lists it at `now`.
    public func showQueue(onSaleAt: Date?, now: Date) -> ShowQueue {
        ShowQueue(
            state: .of(onSaleAt: onSaleAt, paused: false, closed: false, at: now), admitPerMinute: admitPerMinute,
            passSeconds: passSeconds)
    }
}

/// What booking a show needs, which never changes once the show is made: kept in memory.
public struct SaleTerms: Sendable, Equatable {
    /// When booking opens; nil: on sale from the start.
    public var onSaleAt: Date?
    /// Whether a booking needs a queue pass.
    public var hasQueue: Bool

    public init(onSaleAt: Date?, hasQueue: Bool) {
        self.onSaleAt = onSaleAt
        self.hasQueue = hasQueue
    }
}

/// A show's queue as the show lists it.
public struct ShowQueue: Sendable, Equatable {
    public var state: QueueState
    public var admitPerMinute: Int
    public var passSeconds: Int

    public init(state: QueueState, admitPerMinute: Int, passSeconds: Int) {
        self.state = state
        self.admitPerMinute = admitPerMinute
        self.passSeconds = passSeconds
    }
}

/// A queue's shared state as the database holds it at one moment: what every instance
/// caches, so that a place in line is worked out without a query.
public struct QueueSnapshot: Sendable, Equatable {
    public var showId: String
    public var onSaleAt: Date
    public var admitPerMinute: Int
    public var passSeconds: Int
    public var paused: Bool
    public var closed: Bool
    /// Whether the pre-queue has its ranks (done at `onSaleAt`, by the first join or the keeper).
    public var ranked: Bool
    /// Entries in line, every one: once ranked, the highest rank.
    public var entries: Int
    /// The highest rank admitted so far (0 before any): every rank up to it is admitted.
    public var serving: Int
    /// The hex SHA-256 of the seed's text, published when the queue is made.
    public var commitment: String
    /// The seed, hex; told only from `onSaleAt` on (``revealedSeed(at:)``).
    public var seed: String
    /// Seats neither taken, held nor blocked, as the keeper last counted them.
    public var seatsLeft: Int
    /// Bookings made with passes so far, and their seats: the seats a booking takes, on average.
    public var passBookings: Int
    public var passSeats: Int

    public init(
        showId: String, onSaleAt: Date, admitPerMinute: Int, passSeconds: Int, paused: Bool = false,
        closed: Bool = false, ranked: Bool = false, entries: Int = 0, serving: Int = 0, commitment: String,
        seed: String, seatsLeft: Int, passBookings: Int = 0, passSeats: Int = 0
    ) {
        self.showId = showId
        self.onSaleAt = onSaleAt
        self.admitPerMinute = admitPerMinute
        self.passSeconds = passSeconds
        self.paused = paused
        self.closed = closed
        self.ranked = ranked
        self.entries = entries
        self.serving = serving
        self.commitment = commitment
        self.seed = seed
        self.seatsLeft = seatsLeft
        self.passBookings = passBookings
        self.passSeats = passSeats
    }

    public func state(at now: Date) -> QueueState {
        .of(onSaleAt: onSaleAt, paused: paused, closed: closed, at: now)
    }

    /// The entries waiting now: not yet admitted, and the queue not closed.
    public var waiting: Int { closed ? 0 : max(0, entries - serving) }

    /// The seed once it may be told: from `onSaleAt` on.
    public func revealedSeed(at now: Date) -> String? { now >= onSaleAt ? seed : nil }
}

/// One account's entry in one show's queue, as stored.
public struct QueueEntryRecord: Sendable, Equatable {
    public var id: String
    public var showId: String
    public var userId: String
    /// Nil until the pre-queue is ranked, for those who joined before `onSaleAt`.
    public var rank: Int?
    public var joinedAt: Date
    /// When the watermark reached this rank; the pass runs from here.
    public var admittedAt: Date?
    /// Whether a booking was made with this entry's pass.
    public var used: Bool

    public init(
        id: String, showId: String, userId: String, rank: Int?, joinedAt: Date, admittedAt: Date? = nil,
        used: Bool = false
    ) {
        self.id = id
        self.showId = showId
        self.userId = userId
        self.rank = rank
        self.joinedAt = joinedAt
        self.admittedAt = admittedAt
        self.used = used
    }
}

/// A join's outcome: the entry, and whether this join made it.
public struct QueueJoin: Sendable, Equatable {
    public var entry: QueueEntryRecord
    public var created: Bool

    public init(entry: QueueEntryRecord, created: Bool) {
        self.entry = entry
        self.created = created
    }
}

/// A change an admin asks of a queue.
public struct QueueChange: Sendable, Equatable {
    /// True pauses admission, false resumes it, nil leaves it.
    public var paused: Bool?
    public var admitPerMinute: Int?

    public init(paused: Bool?, admitPerMinute: Int?) throws(MarqueeError) {
        if let admitPerMinute, !QueueSettings.admitRange.contains(admitPerMinute) {
            throw .validation([FieldError(field: "admitPerMinute", message: "Admit 1 to 100000 people a minute.")])
        }
        self.paused = paused
        self.admitPerMinute = admitPerMinute
    }
}

extension QueueChange {
    /// A queue can be paused, resumed or re-paced only while it admits: not before
    /// `onSaleAt`, and not once it has closed.
    public static func check(_ queue: QueueSnapshot, now: Date) throws(MarqueeError) {
        switch queue.state(at: now) {
        case .scheduled: throw .conflict("The queue opens at onSaleAt; it can be paused or re-paced from then on.")
        case .closed: throw .conflict("The queue is closed: the show is sold out.")
        case .open, .paused: break
        }
    }
}

/// What one beat of the keepers saw: every live queue, and how long each entry admitted by
/// this instance's beat had waited (from joining, or from `onSaleAt` for the pre-queue).
public struct QueueTick: Sendable, Equatable {
    public var queues: [QueueSnapshot]
    public var waits: [String: [TimeInterval]]

    public init(queues: [QueueSnapshot], waits: [String: [TimeInterval]] = [:]) {
        self.queues = queues
        self.waits = waits
    }
}
