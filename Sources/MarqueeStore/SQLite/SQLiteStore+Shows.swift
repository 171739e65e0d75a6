import Foundation
import GRDB
import MarqueeCore

/// Shows: creating, paging and reading them with their taken seats.
extension SQLiteStore {
    /// Seats held at `?` (a time in micros): confirmed, or held and unexpired.
    static let activeClaim = "(c.expires_at IS NULL OR c.expires_at > ?)"

    static let showColumns = """
        s.id, s.name, s.start_time, s.total_seats, s.created_at,
        s.total_seats - (SELECT count(*) FROM seat_claims c WHERE c.show_id = s.id AND \(activeClaim)) AS available
        """

    static func show(_ row: Row) -> Show {
        Show(
            id: row["id"], name: row["name"], startTime: Micros.date(row["start_time"]),
            totalSeats: row["total_seats"], availableSeats: row["available"], createdAt: Micros.date(row["created_at"])
        )
    }

    public func createShow(_ new: NewShow, now: Date) async throws -> Show {
        let show = Show(
            id: Identifier.make(), name: new.name, startTime: Micros.date(Micros.from(new.startTime)),
            totalSeats: new.totalSeats, availableSeats: new.totalSeats, createdAt: now
        )
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO shows (id, name, start_time, total_seats, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [show.id, show.name, Micros.from(show.startTime), show.totalSeats, Micros.from(now)]
            )
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
                    SELECT \(Self.showColumns) FROM shows s
                    WHERE s.start_time >= ? AND (s.start_time, s.id) > (?, ?)
                    ORDER BY s.start_time, s.id LIMIT ?
                    """,
                arguments: [
                    Micros.from(now),  // for the available-seats count
                    query.from.map(Micros.from) ?? Int64.min,
                    query.after?.startMicros ?? Int64.min, query.after?.id ?? "",
                    query.limit + 1,
                ]
            ).map { (show: Self.show($0), startMicros: $0["start_time"] as Int64) }
        }
        return ShowPage(rows: rows, limit: query.limit)
    }

    public func show(id: String, now: Date) async throws -> ShowDetail? {
        try await pool.read { db in
            let at = Micros.from(now)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.showColumns) FROM shows s WHERE s.id = ?", arguments: [at, id])
            else { return nil }
            let taken = try Int.fetchAll(
                db,
                sql: "SELECT c.seat FROM seat_claims c WHERE c.show_id = ? AND \(Self.activeClaim) ORDER BY c.seat",
                arguments: [id, at]
            )
            return ShowDetail(show: Self.show(row), takenSeats: taken)
        }
    }
}
