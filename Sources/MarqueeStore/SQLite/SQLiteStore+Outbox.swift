import Foundation
import GRDB
import MarqueeCore

/// The outbox (booking_events), written by triggers (and by ``recordBlocking``); read here
/// for live streams and snapshots, pruned by age.
extension SQLiteStore {
    /// The outbox row for blocking or unblocking seats, in the change's own transaction, in
    /// the shape the triggers give every other event.
    static func recordBlocking(_ kind: BookingEvent.Kind, showId: String, seats: [Int], in db: Database) throws {
        let seatsJSON = "[" + seats.map(String.init).joined(separator: ",") + "]"
        try db.execute(
            sql: """
                INSERT INTO booking_events (type, show_id, booking_id, seats, created_at, payload)
                VALUES (?, ?, NULL, ?, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER),
                        json_object('type', ?, 'showId', ?, 'seats', json(?), 'at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
                """,
            arguments: [kind.rawValue, showId, seatsJSON, kind.rawValue, showId, seatsJSON])
    }

    public func latestEventId() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM booking_events") ?? 0 }
    }

    public func events(after id: Int64, orAmong missing: [Int64], limit: Int) async throws -> [BookingEvent] {
        let missingJSON = "[" + missing.map(String.init).joined(separator: ",") + "]"
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                // Two index lookups, not `id > ? OR id IN (…)`, which SQLite answers by
                // scanning the whole outbox.
                sql: """
                    SELECT \(Self.eventColumns) FROM (
                        SELECT \(Self.eventColumns) FROM booking_events WHERE id > ? ORDER BY id LIMIT ?)
                    UNION ALL
                    SELECT \(Self.eventColumns) FROM booking_events WHERE id IN (SELECT value FROM json_each(?))
                    ORDER BY id LIMIT ?
                    """,
                arguments: [id, limit, missingJSON, limit]
            ).compactMap(Self.event)
        }
    }

    public func showEvents(showId: String, after id: Int64, limit: Int) async throws -> [BookingEvent]? {
        try await pool.read { db in
            // Ids are never reused: if the oldest kept event is past `id + 1`, some may be gone.
            let oldest = try Int64.fetchOne(db, sql: "SELECT min(id) FROM booking_events")
            if let oldest, oldest > id + 1 { return nil }
            return try Row.fetchAll(
                db,
                sql: "SELECT \(Self.eventColumns) FROM booking_events WHERE show_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [showId, id, limit]
            ).compactMap(Self.event)
        }
    }

    public func seatSnapshot(showId: String, now: Date) async throws -> SeatSnapshot? {
        // One read transaction: the seats and the event id are of the same moment.
        try await pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM shows WHERE id = ?)", arguments: [showId]) == true
            else { return nil }
            let taken = try Int.fetchAll(
                db,
                sql: "SELECT c.seat FROM seat_claims c WHERE c.show_id = ? AND \(Self.activeClaim) ORDER BY c.seat",
                arguments: [showId, Micros.from(now)])
            let last = try Int64.fetchOne(
                db, sql: "SELECT coalesce(max(id), 0) FROM booking_events WHERE show_id = ?", arguments: [showId])
            return SeatSnapshot(takenSeats: taken, lastEventId: last ?? 0)
        }
    }

    public func pruneEvents(createdBefore cutoff: Date) async throws -> Int {
        try await writeImmediately { db in
            // The newest event stays, so the oldest id kept always tells how far pruning went.
            try db.execute(
                sql: "DELETE FROM booking_events WHERE created_at < ? AND id < (SELECT max(id) FROM booking_events)",
                arguments: [Micros.from(cutoff)])
            return db.changesCount
        }
    }

    static let eventColumns = "id, type, show_id, booking_id, seats, created_at"

    static func event(_ row: Row) -> BookingEvent? {
        guard let kind = BookingEvent.Kind(rawValue: row["type"]) else { return nil }
        return BookingEvent(
            id: row["id"], kind: kind, showId: row["show_id"], bookingId: row["booking_id"],
            seats: seats(fromJSON: row["seats"]), createdAt: Micros.date(row["created_at"]))
    }

    /// Seat lists are stored as JSON arrays of integers, `[3,4]`.
    /// (Split on anything but digits: Foundation's trimming goes through NSString on Linux,
    /// and this runs for every booking and event read.)
    static func seats(fromJSON text: String) -> [Int] {
        text.split { !$0.isASCII || !$0.isNumber }.compactMap { Int($0) }
    }
}
