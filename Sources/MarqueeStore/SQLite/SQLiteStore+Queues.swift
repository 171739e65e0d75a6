import Foundation
import GRDB
import MarqueeCore

/// Queues on SQLite: the same rules as on PostgreSQL (the beat is ``QueueBeat``, the draw
/// ``QueueShuffle``), each step inside one write transaction. One process serves a SQLite
/// file, so it is always the keeper, but the lease is kept all the same.
extension SQLiteStore {
    static let queueColumns = """
        q.show_id, s.on_sale_at, s.total_seats, q.admit_per_minute, q.pass_seconds, q.paused, q.closed, q.ranked,
        q.entries, q.serving, q.commitment, q.seed, q.seats_left, q.pass_bookings, q.pass_seats, q.next_admit_at,
        q.keeper, q.keeper_until
        """
    static let queueSource = "show_queues q JOIN shows s ON s.id = q.show_id"

    static func snapshot(_ row: Row) -> QueueSnapshot {
        QueueSnapshot(
            showId: row["show_id"], onSaleAt: Micros.date(row["on_sale_at"]), admitPerMinute: row["admit_per_minute"],
            passSeconds: row["pass_seconds"], paused: row["paused"], closed: row["closed"], ranked: row["ranked"],
            entries: row["entries"], serving: row["serving"], commitment: row["commitment"], seed: row["seed"],
            seatsLeft: row["seats_left"], passBookings: row["pass_bookings"], passSeats: row["pass_seats"])
    }

    static let entryColumns = """
        e.id, e.show_id, e.user_id, e.rank, e.joined_at, e.admitted_at,
        EXISTS (SELECT 1 FROM bookings b WHERE b.queue_entry_id = e.id) AS used
        """

    static func entry(_ row: Row) -> QueueEntryRecord {
        QueueEntryRecord(
            id: row["id"], showId: row["show_id"], userId: row["user_id"], rank: row["rank"],
            joinedAt: Micros.date(row["joined_at"]), admittedAt: (row["admitted_at"] as Int64?).map(Micros.date),
            used: row["used"])
    }

    public func saleTerms(showId: String) async throws -> SaleTerms? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT s.on_sale_at, q.show_id IS NOT NULL AS has_queue
                    FROM shows s LEFT JOIN show_queues q ON q.show_id = s.id WHERE s.id = ?
                    """,
                arguments: [showId]
            ).map { SaleTerms(onSaleAt: ($0["on_sale_at"] as Int64?).map(Micros.date), hasQueue: $0["has_queue"]) }
        }
    }

    public func joinQueue(showId: String, userIds: [String], now: Date) async throws -> [QueueJoin] {
        try await writeImmediately { db in try userIds.map { try Self.join(showId: showId, userId: $0, now: now, in: db) } }
    }

    /// One join, inside a transaction that holds the write lock.
    static func join(showId: String, userId: String, now: Date, in db: Database) throws -> QueueJoin {
        let find = { try Row.fetchOne(
            db, sql: "SELECT \(entryColumns) FROM queue_entries e WHERE e.show_id = ? AND e.user_id = ?",
            arguments: [showId, userId]).map(entry) }
        if let existing = try find() { return QueueJoin(entry: existing, created: false) }
        guard var queue = try Row.fetchOne(
            db, sql: "SELECT \(queueColumns) FROM \(queueSource) WHERE q.show_id = ?", arguments: [showId]
        ).map(snapshot) else {
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM shows WHERE id = ?)", arguments: [showId])
            throw exists == true ? MarqueeError.noQueue : MarqueeError.notFound("show")
        }
        if !queue.ranked, now >= queue.onSaleAt {
            try draw(queue, now: now, in: db)
            queue.ranked = true
        }
        // Join times rise with the order of the write lock, a microsecond apart at least.
        let last = try Int64.fetchOne(
            db, sql: "SELECT last_joined_at FROM show_queues WHERE show_id = ?", arguments: [showId])
        let joined = max(Micros.from(now), (last ?? .min) + 1)
        let made = QueueEntryRecord(
            id: Identifier.make(), showId: showId, userId: userId, rank: queue.ranked ? queue.entries + 1 : nil,
            joinedAt: Micros.date(joined))
        try db.execute(
            sql: "INSERT INTO queue_entries (id, show_id, user_id, joined_at, rank) VALUES (?, ?, ?, ?, ?)",
            arguments: [made.id, showId, userId, joined, made.rank])
        try db.execute(
            sql: "UPDATE show_queues SET entries = entries + 1, last_joined_at = ?, updated_at = ? WHERE show_id = ?",
            arguments: [joined, Micros.from(now), showId])
        return QueueJoin(entry: made, created: true)
    }

    /// Ranks the pre-queue by the revealed seed (``QueueShuffle``), once.
    static func draw(_ queue: QueueSnapshot, now: Date, in db: Database) throws {
        let ids = try String.fetchAll(
            db, sql: "SELECT id FROM queue_entries WHERE show_id = ? AND rank IS NULL", arguments: [queue.showId])
        for (index, id) in QueueShuffle.order(seed: queue.seed, entryIds: ids).enumerated() {
            try db.execute(sql: "UPDATE queue_entries SET rank = ? WHERE id = ?", arguments: [index + 1, id])
        }
        try db.execute(
            sql: "UPDATE show_queues SET ranked = 1, drawn = ?, updated_at = ? WHERE show_id = ?",
            arguments: [ids.count, Micros.from(now), queue.showId])
    }

    public func queueEntry(showId: String, userId: String) async throws -> QueueEntryRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.entryColumns) FROM queue_entries e WHERE e.show_id = ? AND e.user_id = ?",
                arguments: [showId, userId]
            ).map(Self.entry)
        }
    }

    public func queue(showId: String) async throws -> QueueSnapshot? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.queueColumns) FROM \(Self.queueSource) WHERE q.show_id = ?", arguments: [showId]
            ).map(Self.snapshot)
        }
    }

    public func queueOrder(showId: String, now: Date) async throws -> [String]? {
        try await writeImmediately { db in
            guard let queue = try Row.fetchOne(
                db, sql: "SELECT \(Self.queueColumns) FROM \(Self.queueSource) WHERE q.show_id = ?", arguments: [showId]
            ).map(Self.snapshot), now >= queue.onSaleAt else { return nil }
            if !queue.ranked { try Self.draw(queue, now: now, in: db) }
            return try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM queue_entries
                    WHERE show_id = ? AND rank <= (SELECT drawn FROM show_queues WHERE show_id = ?) ORDER BY rank
                    """,
                arguments: [showId, showId])
        }
    }

    public func tickQueues(keeper: String, now: Date, lease: Duration) async throws -> QueueTick {
        let at = Micros.from(now)
        let select = "SELECT \(Self.queueColumns) FROM \(Self.queueSource) WHERE q.closed = 0 OR q.updated_at > ?"
        let recent = at - 600_000_000
        /// Whether this keeper beats the queue: it is on sale, open, and its lease is free,
        /// lapsed or this keeper's.
        @Sendable func due(_ row: Row) -> Bool {
            let holder = row["keeper"] as String?
            let free = holder == nil || holder == keeper || (row["keeper_until"] as Int64? ?? 0) <= at
            return !(row["closed"] as Bool) && free && (row["on_sale_at"] as Int64) <= at
        }
        // Read first: a beat with nothing to do takes no write lock (four times a second,
        // beside every booking), and works on a read-only file.
        let read = try await pool.read { db in try Row.fetchAll(db, sql: select, arguments: [recent]) }
        guard read.contains(where: due) else { return QueueTick(queues: read.map(Self.snapshot)) }
        return try await writeImmediately { db in
            var waits: [String: [TimeInterval]] = [:]
            let queues = try Row.fetchAll(db, sql: select, arguments: [recent]).map { row in
                let queue = Self.snapshot(row)
                guard due(row) else { return queue }
                let (after, waited) = try Self.beat(
                    queue, nextAdmitAt: (row["next_admit_at"] as Int64?).map(Micros.date), totalSeats: row["total_seats"],
                    keeper: keeper, until: at + Int64(lease.seconds * 1_000_000), now: now, in: db)
                if !waited.isEmpty { waits[queue.showId] = waited }
                return after
            }
            return QueueTick(queues: queues, waits: waits)
        }
    }

    /// The keeper's beat for one queue, under the write lock.
    static func beat(
        _ queue: QueueSnapshot, nextAdmitAt: Date?, totalSeats: Int, keeper: String, until: Int64, now: Date,
        in db: Database
    ) throws -> (QueueSnapshot, waits: [TimeInterval]) {
        let at = Micros.from(now)
        var queue = queue
        if !queue.ranked, now >= queue.onSaleAt {
            try draw(queue, now: now, in: db)
            queue.ranked = true
        }
        let counts = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*) AS active, coalesce(sum(expires_at IS NULL), 0) AS firm FROM seat_claims
                WHERE show_id = ? AND (expires_at IS NULL OR expires_at > ?)
                """,
            arguments: [queue.showId, at])
        if let passes = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*) AS bookings, coalesce(sum(json_array_length(seats)), 0) AS seats FROM bookings
                WHERE show_id = ? AND queue_entry_id IS NOT NULL
                """,
            arguments: [queue.showId])
        {
            (queue.passBookings, queue.passSeats) = (passes["bookings"], passes["seats"])
        }
        let beat = QueueBeat(
            queue, nextAdmitAt: nextAdmitAt, totalSeats: totalSeats, activeSeats: counts?["active"] ?? 0,
            firmSeats: counts?["firm"] ?? 0, now: now)
        var waits: [TimeInterval] = []
        if let ranks = beat.admitted {
            waits = try Int64.fetchAll(
                db, sql: "SELECT joined_at FROM queue_entries WHERE show_id = ? AND rank BETWEEN ? AND ?",
                arguments: [queue.showId, ranks.lowerBound, ranks.upperBound]
            ).map { now.timeIntervalSince(max(Micros.date($0), queue.onSaleAt)) }
            try db.execute(
                sql: "UPDATE queue_entries SET admitted_at = ? WHERE show_id = ? AND rank BETWEEN ? AND ?",
                arguments: [at, queue.showId, ranks.lowerBound, ranks.upperBound])
        }
        try db.execute(
            sql: """
                UPDATE show_queues SET keeper = ?, keeper_until = ?, seats_left = ?, pass_bookings = ?, pass_seats = ?,
                    closed = ?, serving = ?, next_admit_at = ?, updated_at = CASE WHEN ? THEN ? ELSE updated_at END
                WHERE show_id = ?
                """,
            arguments: [
                keeper, until, beat.queue.seatsLeft, beat.queue.passBookings, beat.queue.passSeats, beat.queue.closed,
                beat.queue.serving,
                beat.nextAdmitAt.map(Micros.from), beat.changes(queue), at, queue.showId,
            ])
        return (beat.queue, waits)
    }

    public func changeQueue(showId: String, _ change: QueueChange, now: Date) async throws -> QueueSnapshot {
        try await writeImmediately { db in
            guard var queue = try Row.fetchOne(
                db, sql: "SELECT \(Self.queueColumns) FROM \(Self.queueSource) WHERE q.show_id = ?", arguments: [showId]
            ).map(Self.snapshot) else { throw MarqueeError.notFound("queue") }
            try QueueChange.check(queue, now: now)
            if let paused = change.paused { queue.paused = paused }
            if let rate = change.admitPerMinute { queue.admitPerMinute = rate }
            // A new pace or a resume starts counting from now, so no burst is owed.
            try db.execute(
                sql: """
                    UPDATE show_queues SET paused = ?, admit_per_minute = ?, next_admit_at = NULL, updated_at = ?
                    WHERE show_id = ?
                    """,
                arguments: [queue.paused, queue.admitPerMinute, Micros.from(now), showId])
            return queue
        }
    }
}
