import Foundation
import GRDB
import MarqueeCore

/// A booking's later life: confirm, cancel and expire, each in one write transaction.
extension SQLiteStore {
    public func transition(bookingId: String, from: BookingStatus, to: BookingStatus, now: Date) async throws -> Bool {
        let at = Micros.from(now)
        return try await writeImmediately { db in
            // The write lock serialises this with every booking, as the show lock does on PostgreSQL.
            try db.execute(
                sql: """
                    UPDATE bookings SET status = ?, expires_at = NULL
                    WHERE id = ? AND status = ?
                      AND (status <> 'PENDING' OR (? = 'EXPIRED') = (expires_at <= ?))
                    """,
                arguments: [to.rawValue, bookingId, from.rawValue, to.rawValue, at])
            guard db.changesCount == 1 else { return false }
            if to == .confirmed {
                try db.execute(sql: "UPDATE seat_claims SET expires_at = NULL WHERE booking_id = ?", arguments: [bookingId])
            } else {
                try db.execute(sql: "DELETE FROM seat_claims WHERE booking_id = ?", arguments: [bookingId])
            }
            return true
        }
    }

    public func expireHolds(now: Date, limit: Int) async throws -> Int {
        let at = Micros.from(now)
        return try await writeImmediately { db in
            let lapsed = try String.fetchAll(
                db,
                sql: "SELECT id FROM bookings WHERE status = 'PENDING' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
                arguments: [at, limit])
            for id in lapsed { try Self.expire(bookingId: id, in: db) }
            return lapsed.count
        }
    }

    /// Marks a lapsed hold `EXPIRED` and frees all of its seats.
    static func expire(bookingId: String, in db: Database) throws {
        try db.execute(
            sql: "UPDATE bookings SET status = 'EXPIRED', expires_at = NULL WHERE id = ? AND status = 'PENDING'",
            arguments: [bookingId]
        )
        try db.execute(sql: "DELETE FROM seat_claims WHERE booking_id = ?", arguments: [bookingId])
    }
}
