import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Shows: creating, paging and reading them with their taken seats.
extension PostgresStore {
    /// The show columns, with the seats free at `clock.now`; queries join `clock` as
    /// `(SELECT <now>::timestamptz AS now) AS clock`.
    static let showColumns = """
        s.id, s.name, s.start_time, s.total_seats, s.created_at,
        (extract(epoch FROM s.start_time) * 1000000)::int8,
        s.total_seats - (SELECT count(*) FROM seat_claims c
                         WHERE c.show_id = s.id AND (c.expires_at IS NULL OR c.expires_at > clock.now))::int
        """

    typealias ShowRow = (UUID, String, Date, Int, Date, Int64, Int)

    static func show(_ row: ShowRow) -> (show: Show, startMicros: Int64) {
        (
            Show(
                id: row.0.uuidString.lowercased(), name: row.1, startTime: row.2, totalSeats: row.3,
                availableSeats: row.6, createdAt: row.4),
            row.5
        )
    }

    public func createShow(_ new: NewShow, now: Date) async throws -> Show {
        let id = UUID()
        let micros = Micros.from(new.startTime)
        try await client.query(
            """
            INSERT INTO shows (id, name, start_time, total_seats, created_at)
            VALUES (\(id), \(new.name), 'epoch'::timestamptz + \(micros) * interval '1 microsecond',
                    \(new.totalSeats), \(now))
            """, logger: logger)
        return Show(
            id: id.uuidString.lowercased(), name: new.name, startTime: Micros.date(micros),
            totalSeats: new.totalSeats, availableSeats: new.totalSeats, createdAt: now)
    }

    public func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage {
        // Microseconds travel as integers, so a cursor never skips or repeats a show.
        let from = query.from.map(Micros.from)
        let afterMicros = query.after?.startMicros
        let afterId = query.after.flatMap { UUID(uuidString: $0.id) }
        var rows: [(show: Show, startMicros: Int64)] = []
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Self.showColumns)
            FROM shows s, (SELECT \(now)::timestamptz AS now) AS clock
            WHERE (\(from)::int8 IS NULL OR s.start_time >= 'epoch'::timestamptz + \(from) * interval '1 microsecond')
              AND (\(afterMicros)::int8 IS NULL
                   OR (s.start_time, s.id) > ('epoch'::timestamptz + \(afterMicros) * interval '1 microsecond', \(afterId)))
            ORDER BY s.start_time, s.id LIMIT \(query.limit + 1)
            """, logger: logger
        ).decode(ShowRow.self) {
            rows.append(Self.show(row))
        }
        return ShowPage(rows: rows, limit: query.limit)
    }

    public func show(id: String, now: Date) async throws -> ShowDetail? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return try await client.withConnection { connection in
            var found: Show?
            for try await row in try await connection.query(
                """
                SELECT \(unescaped: Self.showColumns)
                FROM shows s, (SELECT \(now)::timestamptz AS now) AS clock WHERE s.id = \(uuid)
                """, logger: self.logger
            ).decode(ShowRow.self) {
                found = Self.show(row).show
            }
            guard let show = found else { return nil }
            var taken: [Int] = []
            for try await seat in try await connection.query(
                """
                SELECT seat FROM seat_claims
                WHERE show_id = \(uuid) AND (expires_at IS NULL OR expires_at > \(now)) ORDER BY seat
                """, logger: self.logger
            ).decode(Int32.self) {
                taken.append(Int(seat))
            }
            return ShowDetail(show: show, takenSeats: taken)
        }
    }
}
