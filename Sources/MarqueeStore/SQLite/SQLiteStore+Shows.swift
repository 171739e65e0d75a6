import Foundation
import GRDB
import MarqueeCore

/// Shows: creating, paging and reading them with their taken and blocked seats, and
/// replacing the blocked ones.
extension SQLiteStore {
    /// Seats held at `?` (a time in micros): confirmed, or held and unexpired.
    static let activeClaim = "(c.expires_at IS NULL OR c.expires_at > ?)"

    static let showColumns = """
        s.id, s.name, s.start_time, s.total_seats, s.created_at, s.venue_id,
        s.total_seats - (SELECT count(*) FROM seat_claims c WHERE c.show_id = s.id AND \(activeClaim)) AS available,
        s.on_sale_at, q.admit_per_minute, q.pass_seconds, q.paused, q.closed
        """

    /// The shows, each with its queue if it has one: `FROM \(showsWithQueues)`.
    static let showsWithQueues = "shows s LEFT JOIN show_queues q ON q.show_id = s.id"

    static func show(_ row: Row, now: Date) -> Show {
        let onSaleAt = (row["on_sale_at"] as Int64?).map(Micros.date)
        var queue: ShowQueue?
        if let admit = row["admit_per_minute"] as Int?, let onSaleAt {
            queue = ShowQueue(
                state: .of(onSaleAt: onSaleAt, paused: row["paused"], closed: row["closed"], at: now),
                admitPerMinute: admit, passSeconds: row["pass_seconds"])
        }
        return Show(
            id: row["id"], name: row["name"], startTime: Micros.date(row["start_time"]),
            totalSeats: row["total_seats"], availableSeats: row["available"], createdAt: Micros.date(row["created_at"]),
            venueId: row["venue_id"], onSaleAt: onSaleAt, queue: queue
        )
    }

    public func createShow(_ new: NewShow, now: Date) async throws -> Show {
        let onSaleAt = new.onSaleAt.map { Micros.date(Micros.from($0)) }
        let show = Show(
            id: Identifier.make(), name: new.name, startTime: Micros.date(Micros.from(new.startTime)),
            totalSeats: new.totalSeats, availableSeats: new.totalSeats, createdAt: now, venueId: new.venueId,
            onSaleAt: onSaleAt,
            queue: new.queue.map { $0.showQueue(onSaleAt: onSaleAt, now: now) })
        let seed = QueueShuffle.newSeed()
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT INTO shows (id, name, start_time, total_seats, created_at, venue_id, on_sale_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    show.id, show.name, Micros.from(show.startTime), show.totalSeats, Micros.from(now), show.venueId,
                    onSaleAt.map(Micros.from),
                ]
            )
            if let queue = new.queue {
                try db.execute(
                    sql: """
                        INSERT INTO show_queues (show_id, admit_per_minute, pass_seconds, seed, commitment, seats_left, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        show.id, queue.admitPerMinute, queue.passSeconds, seed, QueueShuffle.commitment(to: seed),
                        show.totalSeats, Micros.from(now),
                    ])
            }
        }
        return show
    }

    public func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage {
        // Rows are turned into Sendable values inside the read, so the async `read` is used
        // rather than the blocking one.
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.showColumns) FROM \(Self.showsWithQueues)
                    WHERE s.start_time >= ? AND (s.start_time, s.id) > (?, ?)
                    ORDER BY s.start_time, s.id LIMIT ?
                    """,
                arguments: [
                    Micros.from(now),  // for the available-seats count
                    query.from.map(Micros.from) ?? Int64.min,
                    query.after?.startMicros ?? Int64.min, query.after?.id ?? "",
                    query.limit + 1,
                ]
            ).map { (show: Self.show($0, now: now), startMicros: $0["start_time"] as Int64) }
        }
        return ShowPage(rows: rows, limit: query.limit)
    }

    public func show(id: String, now: Date) async throws -> ShowDetail? {
        try await pool.read { db in
            let at = Micros.from(now)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.showColumns) FROM \(Self.showsWithQueues) WHERE s.id = ?", arguments: [at, id])
            else { return nil }
            var taken: [Int] = []
            var blocked: [Int] = []
            for claim in try Row.fetchAll(
                db,
                sql: """
                    SELECT c.seat, c.booking_id IS NULL AS blocked FROM seat_claims c
                    WHERE c.show_id = ? AND \(Self.activeClaim) ORDER BY c.seat
                    """,
                arguments: [id, at])
            {
                if claim["blocked"] as Bool { blocked.append(claim["seat"]) } else { taken.append(claim["seat"]) }
            }
            return ShowDetail(show: Self.show(row, now: now), takenSeats: taken, blockedSeats: blocked)
        }
    }

    public func setBlockedSeats(showId: String, seats: SeatSet, now: Date) async throws -> [Int] {
        try await writeImmediately { db in
            let at = Micros.from(now)
            guard let total = try Int.fetchOne(db, sql: "SELECT total_seats FROM shows WHERE id = ?", arguments: [showId])
            else { throw MarqueeError.notFound("show") }
            guard seats.outOfRange(totalSeats: total).isEmpty else { throw SeatSet.rangeError(totalSeats: total) }
            let wanted = Set(seats.seats)
            var blocked = Set<Int>()
            var taken: [Int] = []
            var lapsed = Set<String>()
            for claim in try Row.fetchAll(
                db, sql: "SELECT seat, booking_id, expires_at FROM seat_claims WHERE show_id = ?", arguments: [showId])
            {
                let seat: Int = claim["seat"]
                if let booking = claim["booking_id"] as String? {
                    let active = (claim["expires_at"] as Int64?).map { $0 > at } ?? true
                    if active, wanted.contains(seat) { taken.append(seat) }
                    if !active, wanted.contains(seat) { lapsed.insert(booking) }
                } else {
                    blocked.insert(seat)
                }
            }
            guard taken.isEmpty else { throw MarqueeError.seatsTaken(taken.sorted()) }
            for booking in lapsed { try Self.expire(bookingId: booking, in: db) }
            let freed = blocked.subtracting(wanted).sorted()
            let added = wanted.subtracting(blocked).sorted()
            let json = { (seats: [Int]) in "[" + seats.map(String.init).joined(separator: ",") + "]" }
            if !freed.isEmpty {
                try db.execute(
                    sql: """
                        DELETE FROM seat_claims WHERE show_id = ? AND booking_id IS NULL
                        AND seat IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [showId, json(freed)])
                try Self.recordBlocking(.seatsUnblocked, showId: showId, seats: freed, in: db)
            }
            if !added.isEmpty {
                try db.execute(
                    sql: "INSERT INTO seat_claims (show_id, seat, booking_id, expires_at) SELECT ?, value, NULL, NULL FROM json_each(?)",
                    arguments: [showId, json(added)])
                try Self.recordBlocking(.seatsBlocked, showId: showId, seats: added, in: db)
            }
            return wanted.sorted()
        }
    }
}
