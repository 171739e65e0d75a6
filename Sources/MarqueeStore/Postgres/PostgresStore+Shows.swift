import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Shows: creating, paging and reading them with their taken and blocked seats, and
/// replacing the blocked ones (SQL/postgres/functions/marquee_block_seats.sql).
extension PostgresStore {
    /// The show columns, with the seats free at `clock.now`; queries join `clock` as
    /// `(SELECT <now>::timestamptz AS now) AS clock`.
    static let showColumns = """
        s.id, s.name, s.start_time, s.total_seats, s.created_at, s.venue_id,
        (extract(epoch FROM s.start_time) * 1000000)::int8,
        s.total_seats - (SELECT count(*) FROM seat_claims c
                         WHERE c.show_id = s.id AND (c.expires_at IS NULL OR c.expires_at > clock.now))::int,
        s.on_sale_at, q.admit_per_minute, q.pass_seconds, q.paused, q.closed
        """

    /// The shows, each with its queue if it has one.
    static let showsWithQueues = "shows s LEFT JOIN show_queues q ON q.show_id = s.id"

    typealias ShowRow = (UUID, String, Date, Int, Date, UUID?, Int64, Int, Date?, Int?, Int?, Bool?, Bool?)

    static func show(_ row: ShowRow, now: Date) -> (show: Show, startMicros: Int64) {
        var queue: ShowQueue?
        if let admit = row.9, let passSeconds = row.10, let onSaleAt = row.8 {
            queue = ShowQueue(
                state: .of(onSaleAt: onSaleAt, paused: row.11 == true, closed: row.12 == true, at: now),
                admitPerMinute: admit, passSeconds: passSeconds)
        }
        return (
            Show(
                id: Identifier.text(row.0), name: row.1, startTime: row.2, totalSeats: row.3,
                availableSeats: row.7, createdAt: row.4, venueId: row.5.map(Identifier.text), onSaleAt: row.8,
                queue: queue),
            row.6
        )
    }

    public func createShow(_ new: NewShow, now: Date) async throws -> Show {
        let id = UUID()
        let micros = Micros.from(new.startTime)
        let venue = new.venueId.flatMap(Identifier.uuid)
        let onSaleMicros = new.onSaleAt.map(Micros.from)
        let seed = QueueShuffle.newSeed()
        // One statement, so the show and its queue are made together or not at all.
        try await client.query(
            """
            WITH made AS (
                INSERT INTO shows (id, name, start_time, total_seats, created_at, venue_id, on_sale_at)
                VALUES (\(id), \(new.name), 'epoch'::timestamptz + \(micros) * interval '1 microsecond',
                        \(new.totalSeats), \(now), \(venue),
                        'epoch'::timestamptz + \(onSaleMicros)::int8 * interval '1 microsecond')
                RETURNING id, total_seats)
            INSERT INTO show_queues (show_id, admit_per_minute, pass_seconds, seed, commitment, seats_left, updated_at)
            SELECT made.id, \(new.queue?.admitPerMinute)::int, \(new.queue?.passSeconds)::int, \(seed),
                   \(QueueShuffle.commitment(to: seed)), made.total_seats, \(now)
            FROM made WHERE \(new.queue != nil)
            """, logger: logger)
        let onSaleAt = onSaleMicros.map(Micros.date)
        return Show(
            id: Identifier.text(id), name: new.name, startTime: Micros.date(micros),
            totalSeats: new.totalSeats, availableSeats: new.totalSeats, createdAt: now, venueId: new.venueId,
            onSaleAt: onSaleAt, queue: new.queue.map { $0.showQueue(onSaleAt: onSaleAt, now: now) })
    }

    public func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage {
        // Microseconds travel as integers, so a cursor never skips or repeats a show.
        let from = query.from.map(Micros.from)
        let afterMicros = query.after?.startMicros
        let afterId = query.after.flatMap { Identifier.uuid($0.id) }
        return try await routed { client in
            var rows: [(show: Show, startMicros: Int64)] = []
            for try await row in try await client.query(
                """
                SELECT \(unescaped: Self.showColumns)
                FROM \(unescaped: Self.showsWithQueues), (SELECT \(now)::timestamptz AS now) AS clock
                WHERE (\(from)::int8 IS NULL OR s.start_time >= 'epoch'::timestamptz + \(from) * interval '1 microsecond')
                  AND (\(afterMicros)::int8 IS NULL
                       OR (s.start_time, s.id) > ('epoch'::timestamptz + \(afterMicros) * interval '1 microsecond', \(afterId)))
                ORDER BY s.start_time, s.id LIMIT \(query.limit + 1)
                """, logger: logger
            ).decode(ShowRow.self) {
                rows.append(Self.show(row, now: now))
            }
            return ShowPage(rows: rows, limit: query.limit)
        }
    }

    public func show(id: String, now: Date) async throws -> ShowDetail? {
        guard let uuid = Identifier.uuid(id) else { return nil }
        return try await routed { client in
            try await client.withConnection { connection in
                var found: Show?
                for try await row in try await connection.query(
                    """
                    SELECT \(unescaped: Self.showColumns)
                    FROM \(unescaped: Self.showsWithQueues), (SELECT \(now)::timestamptz AS now) AS clock
                    WHERE s.id = \(uuid)
                    """, logger: self.logger
                ).decode(ShowRow.self) {
                    found = Self.show(row, now: now).show
                }
                guard let show = found else { return nil }
                var taken: [Int] = []
                var blocked: [Int] = []
                for try await (seat, isBlock) in try await connection.query(
                    """
                    SELECT seat, booking_id IS NULL FROM seat_claims
                    WHERE show_id = \(uuid) AND (expires_at IS NULL OR expires_at > \(now)) ORDER BY seat
                    """, logger: self.logger
                ).decode((Int32, Bool).self) {
                    if isBlock { blocked.append(Int(seat)) } else { taken.append(Int(seat)) }
                }
                return ShowDetail(show: show, takenSeats: taken, blockedSeats: blocked)
            }
        }
    }

    public func setBlockedSeats(showId: String, seats: SeatSet, now: Date) async throws -> [Int] {
        guard let uuid = Identifier.uuid(showId) else { throw MarqueeError.notFound("show") }
        let wanted = seats.seats.map(Int32.init)
        for try await (outcome, detail) in try await client.query(
            "SELECT result_outcome, result_seats FROM marquee_block_seats(\(uuid), \(wanted), \(now))", logger: logger
        ).decode((String, [Int32]?).self) {
            let numbers = (detail ?? []).map(Int.init)
            switch outcome {
            case "blocked": return numbers
            case "show_not_found": throw MarqueeError.notFound("show")
            case "out_of_range": throw SeatSet.rangeError(totalSeats: numbers.first ?? 0)
            case "conflict": throw MarqueeError.seatsTaken(numbers)
            default: throw BookingFunctionError.unexpectedAnswer
            }
        }
        throw BookingFunctionError.unexpectedAnswer
    }
}
