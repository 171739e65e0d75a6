import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Queues on PostgreSQL. Joins that wait together are one round trip and one commit
/// (SQL/postgres/functions/marquee_queue_join_many.sql over marquee_queue_join.sql);
/// the draw and the keeper's beat are short transactions here, deciding by the same rules
/// as on SQLite (``QueueBeat``, ``QueueShuffle``). The keeper of each queue's watermark is
/// whichever instance holds its lease (`show_queues.keeper` until `keeper_until`): a plain
/// row, so it also works through a transaction pooler, and another instance takes over once
/// a dead keeper's lease lapses.
extension PostgresStore {
    static let queueColumns = """
        q.show_id, s.on_sale_at, s.total_seats, q.admit_per_minute, q.pass_seconds, q.paused, q.closed, q.ranked,
        q.entries, q.serving, q.commitment, q.seed, q.seats_left, q.pass_bookings, q.pass_seats, q.next_admit_at,
        q.keeper, q.keeper_until
        """

    static func snapshot(_ row: PostgresRow) throws -> (queue: QueueSnapshot, totalSeats: Int, nextAdmitAt: Date?, keeper: String?, keeperUntil: Date?) {
        let r = row.makeRandomAccess()
        let queue = QueueSnapshot(
            showId: Identifier.text(try r["show_id"].decode(UUID.self)), onSaleAt: try r["on_sale_at"].decode(Date.self),
            admitPerMinute: try r["admit_per_minute"].decode(Int.self), passSeconds: try r["pass_seconds"].decode(Int.self),
            paused: try r["paused"].decode(Bool.self), closed: try r["closed"].decode(Bool.self),
            ranked: try r["ranked"].decode(Bool.self), entries: try r["entries"].decode(Int.self),
            serving: try r["serving"].decode(Int.self), commitment: try r["commitment"].decode(String.self),
            seed: try r["seed"].decode(String.self), seatsLeft: try r["seats_left"].decode(Int.self),
            passBookings: try r["pass_bookings"].decode(Int.self), passSeats: try r["pass_seats"].decode(Int.self))
        return (
            queue, try r["total_seats"].decode(Int.self), try r["next_admit_at"].decode(Date?.self),
            try r["keeper"].decode(String?.self), try r["keeper_until"].decode(Date?.self)
        )
    }

    typealias EntryRow = (UUID, UUID, UUID, Int?, Date, Date?, Bool)
    static let entryColumns = """
        e.id, e.show_id, e.user_id, e.rank, e.joined_at, e.admitted_at,
        EXISTS (SELECT 1 FROM bookings b WHERE b.show_id = e.show_id AND b.queue_entry_id = e.id)
        """

    static func entry(_ row: EntryRow) -> QueueEntryRecord {
        QueueEntryRecord(
            id: Identifier.text(row.0), showId: Identifier.text(row.1), userId: Identifier.text(row.2),
            rank: row.3, joinedAt: row.4, admittedAt: row.5, used: row.6)
    }

    public func saleTerms(showId: String) async throws -> SaleTerms? {
        guard let uuid = Identifier.uuid(showId) else { return nil }
        for try await (onSaleAt, hasQueue) in try await client.query(
            """
            SELECT s.on_sale_at, q.show_id IS NOT NULL
            FROM shows s LEFT JOIN show_queues q ON q.show_id = s.id WHERE s.id = \(uuid)
            """, logger: logger
        ).decode((Date?, Bool).self) {
            return SaleTerms(onSaleAt: onSaleAt, hasQueue: hasQueue)
        }
        return nil
    }

    public func joinQueue(showId: String, userIds: [String], now: Date) async throws -> [QueueJoin] {
        guard let show = Identifier.uuid(showId) else { throw MarqueeError.notFound("show") }
        let users = try userIds.map { id in
            guard let user = Identifier.uuid(id) else { throw MarqueeError.notFound("user") }
            return user
        }
        guard !users.isEmpty else { return [] }
        let ids = users.map { _ in UUID() }
        for attempt in 0..<2 {
            var joins = [QueueJoin?](repeating: nil, count: users.count)
            var unranked = false
            for try await row in try await client.query(
                """
                SELECT result_index, result_outcome, entry_id, entry_rank, entry_joined_at, entry_admitted_at, entry_used
                FROM marquee_queue_join_many(\(show), \(ids), \(users), \(now))
                """, logger: logger
            ).decode((Int, String, UUID?, Int?, Date?, Date?, Bool?).self) {
                let (position, outcome, entryId, rank, joinedAt, admittedAt, used) = row
                guard (1...users.count).contains(position) else { throw BookingFunctionError.unexpectedAnswer }
                switch outcome {
                case "joined", "existing":
                    guard let entryId, let joinedAt else { throw BookingFunctionError.unexpectedAnswer }
                    joins[position - 1] = QueueJoin(
                        entry: QueueEntryRecord(
                            id: Identifier.text(entryId), showId: showId, userId: userIds[position - 1], rank: rank,
                            joinedAt: joinedAt, admittedAt: admittedAt, used: used ?? false),
                        created: outcome == "joined")
                case "no_queue": throw MarqueeError.noQueue
                case "show_not_found": throw MarqueeError.notFound("show")
                case "unranked" where attempt == 0: unranked = true
                default: throw BookingFunctionError.unexpectedAnswer
                }
            }
            if unranked {
                try await draw(show: show, now: now)
                continue
            }
            return try joins.map { join in
                guard let join else { throw BookingFunctionError.unexpectedAnswer }
                return join
            }
        }
        throw BookingFunctionError.unexpectedAnswer
    }

    /// Ranks the pre-queue by the revealed seed (``QueueShuffle``), once, in its own transaction.
    func draw(show: UUID, now: Date) async throws {
        try await transaction { connection, logger in try await Self.draw(show: show, now: now, on: connection, logger: logger) }
    }

    /// The draw on a connection inside a transaction; the queue row's lock makes it happen once.
    static func draw(show: UUID, now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        var seed: String?
        for try await (ranked, text) in try await connection.query(
            "SELECT ranked, seed FROM show_queues WHERE show_id = \(show) FOR UPDATE", logger: logger
        ).decode((Bool, String).self) where !ranked {
            seed = text
        }
        guard let seed else { return }
        var ids: [String] = []
        for try await id in try await connection.query(
            "SELECT id FROM queue_entries WHERE show_id = \(show) AND rank IS NULL", logger: logger
        ).decode(UUID.self) {
            ids.append(Identifier.text(id))
        }
        let ordered = QueueShuffle.order(seed: seed, entryIds: ids).compactMap(Identifier.uuid)
        let ranks = (0..<ordered.count).map { Int32($0 + 1) }
        try await connection.query(
            """
            UPDATE queue_entries e SET rank = r.rank
            FROM unnest(\(ordered)::uuid[], \(ranks)::int4[]) AS r(id, rank) WHERE e.id = r.id
            """, logger: logger)
        try await connection.query(
            "UPDATE show_queues SET ranked = true, drawn = \(ordered.count), updated_at = \(now) WHERE show_id = \(show)",
            logger: logger)
    }

    public func queueEntry(showId: String, userId: String) async throws -> QueueEntryRecord? {
        guard let show = Identifier.uuid(showId), let user = Identifier.uuid(userId) else { return nil }
        for try await row in try await client.query(
            "SELECT \(unescaped: Self.entryColumns) FROM queue_entries e WHERE e.show_id = \(show) AND e.user_id = \(user)",
            logger: logger
        ).decode(EntryRow.self) {
            return Self.entry(row)
        }
        return nil
    }

    public func queue(showId: String) async throws -> QueueSnapshot? {
        guard let show = Identifier.uuid(showId) else { return nil }
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Self.queueColumns) FROM show_queues q JOIN shows s ON s.id = q.show_id
            WHERE q.show_id = \(show)
            """, logger: logger)
        {
            return try Self.snapshot(row).queue
        }
        return nil
    }

    public func queueOrder(showId: String, now: Date) async throws -> [String]? {
        guard let show = Identifier.uuid(showId) else { return nil }
        guard let queue = try await queue(showId: showId), now >= queue.onSaleAt else { return nil }
        if !queue.ranked { try await draw(show: show, now: now) }
        return try await client.withConnection { [logger] connection in
            var drawn = 0
            for try await count in try await connection.query(
                "SELECT drawn FROM show_queues WHERE show_id = \(show)", logger: logger
            ).decode(Int.self) {
                drawn = count
            }
            var ids: [String] = []
            for try await id in try await connection.query(
                "SELECT id FROM queue_entries WHERE show_id = \(show) AND rank <= \(drawn) ORDER BY rank", logger: logger
            ).decode(UUID.self) {
                ids.append(Identifier.text(id))
            }
            return ids
        }
    }

    public func tickQueues(keeper: String, now: Date, lease: Duration) async throws -> QueueTick {
        var mine: [UUID] = []
        for try await id in try await client.query(
            """
            SELECT q.show_id FROM show_queues q JOIN shows s ON s.id = q.show_id
            WHERE NOT q.closed AND s.on_sale_at <= \(now)
              AND (q.keeper IS NULL OR q.keeper = \(keeper) OR q.keeper_until <= \(now))
            """, logger: logger
        ).decode(UUID.self) {
            mine.append(id)
        }
        let until = now.addingTimeInterval(lease.seconds)
        var waits: [String: [TimeInterval]] = [:]
        for show in mine {
            let waited = try await transaction { connection, logger in
                try await Self.beat(show: show, keeper: keeper, until: until, now: now, on: connection, logger: logger)
            }
            if !waited.isEmpty { waits[Identifier.text(show)] = waited }
        }
        var queues: [QueueSnapshot] = []
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Self.queueColumns) FROM show_queues q JOIN shows s ON s.id = q.show_id
            WHERE NOT q.closed OR q.updated_at > \(now.addingTimeInterval(-600))
            """, logger: logger)
        {
            queues.append(try Self.snapshot(row).queue)
        }
        return QueueTick(queues: queues, waits: waits)
    }

    /// The keeper's beat for one queue, under its row lock. It waits for the lock rather than
    /// skipping a locked row: under a flood of joins (each holds the lock to its commit) a
    /// beat that skipped would find the row locked nearly every time, and admission would stall.
    static func beat(show: UUID, keeper: String, until: Date, now: Date, on connection: PostgresConnection, logger: Logger)
        async throws -> [TimeInterval]
    {
        var found: (queue: QueueSnapshot, totalSeats: Int, nextAdmitAt: Date?, keeper: String?, keeperUntil: Date?)?
        for try await row in try await connection.query(
            """
            SELECT \(unescaped: queueColumns) FROM show_queues q JOIN shows s ON s.id = q.show_id
            WHERE q.show_id = \(show) FOR UPDATE OF q
            """, logger: logger)
        {
            found = try snapshot(row)
        }
        guard var (queue, totalSeats, nextAdmitAt, holder, holderUntil) = found, !queue.closed else { return [] }
        guard holder == nil || holder == keeper || (holderUntil ?? .distantPast) <= now else { return [] }
        if !queue.ranked, now >= queue.onSaleAt {
            try await draw(show: show, now: now, on: connection, logger: logger)
            queue.ranked = true
        }
        var active = 0
        var firm = 0
        for try await (a, f) in try await connection.query(
            """
            SELECT count(*)::int, count(*) FILTER (WHERE expires_at IS NULL)::int FROM seat_claims
            WHERE show_id = \(show) AND (expires_at IS NULL OR expires_at > \(now))
            """, logger: logger
        ).decode((Int, Int).self) {
            (active, firm) = (a, f)
        }
        for try await (bookings, seats) in try await connection.query(
            """
            SELECT count(*)::int, coalesce(sum(cardinality(seats)), 0)::int FROM bookings
            WHERE show_id = \(show) AND queue_entry_id IS NOT NULL
            """, logger: logger
        ).decode((Int, Int).self) {
            (queue.passBookings, queue.passSeats) = (bookings, seats)
        }
        let beat = QueueBeat(
            queue, nextAdmitAt: nextAdmitAt, totalSeats: totalSeats, activeSeats: active, firmSeats: firm, now: now)
        var waits: [TimeInterval] = []
        if let ranks = beat.admitted {
            for try await joinedAt in try await connection.query(
                """
                UPDATE queue_entries SET admitted_at = \(now)
                WHERE show_id = \(show) AND rank BETWEEN \(ranks.lowerBound) AND \(ranks.upperBound)
                RETURNING joined_at
                """, logger: logger
            ).decode(Date.self) {
                waits.append(now.timeIntervalSince(max(joinedAt, queue.onSaleAt)))
            }
        }
        try await connection.query(
            """
            UPDATE show_queues SET keeper = \(keeper), keeper_until = \(until), seats_left = \(beat.queue.seatsLeft),
                pass_bookings = \(beat.queue.passBookings), pass_seats = \(beat.queue.passSeats),
                closed = \(beat.queue.closed), serving = \(beat.queue.serving), next_admit_at = \(beat.nextAdmitAt),
                updated_at = CASE WHEN \(beat.changes(queue)) THEN \(now) ELSE updated_at END
            WHERE show_id = \(show)
            """, logger: logger)
        return waits
    }

    public func changeQueue(showId: String, _ change: QueueChange, now: Date) async throws -> QueueSnapshot {
        guard let show = Identifier.uuid(showId) else { throw MarqueeError.notFound("queue") }
        return try await transaction { tx, logger in
                var found: QueueSnapshot?
                for try await row in try await tx.query(
                    """
                    SELECT \(unescaped: Self.queueColumns) FROM show_queues q JOIN shows s ON s.id = q.show_id
                    WHERE q.show_id = \(show) FOR UPDATE OF q
                    """, logger: logger)
                {
                    found = try Self.snapshot(row).queue
                }
                guard var queue = found else { throw MarqueeError.notFound("queue") }
                try QueueChange.check(queue, now: now)
                if let paused = change.paused { queue.paused = paused }
                if let rate = change.admitPerMinute { queue.admitPerMinute = rate }
                // A new pace or a resume starts counting from now, so no burst is owed.
                try await tx.query(
                    """
                    UPDATE show_queues SET paused = \(queue.paused), admit_per_minute = \(queue.admitPerMinute),
                        next_admit_at = NULL, updated_at = \(now)
                    WHERE show_id = \(show)
                    """, logger: logger)
                return queue
        }
    }

    /// Runs `body` in a transaction on one pooled connection, under the database deadline; a
    /// domain error thrown inside comes out as itself, after the rollback.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) async throws -> T {
        try await client.withConnection { [logger] connection in
            do {
                return try await connection.withTransaction(logger: logger) { tx in try await body(tx, logger) }
            } catch let error as PostgresTransactionError {
                if let inner = error.closureError { throw inner }
                throw error
            }
        }
    }
}
