import Foundation
import GRDB
import MarqueeCore

/// Venues (migrations/0007_venues.sql).
extension SQLiteStore {
    public func createVenue(_ venue: NewVenue, now: Date) async throws -> VenueRecord {
        let record = VenueRecord(
            id: Identifier.make(), name: venue.name, totalSeats: venue.totalSeats, createdAt: now,
            layoutJSON: venue.layoutJSON)
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO venues (id, name, total_seats, layout, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [record.id, record.name, record.totalSeats, venue.layoutJSON, Micros.from(now)])
        }
        return record
    }

    public func venues() async throws -> [VenueRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, name, total_seats, created_at FROM venues ORDER BY created_at DESC, id DESC"
            ).map { row in
                VenueRecord(
                    id: row["id"], name: row["name"], totalSeats: row["total_seats"],
                    createdAt: Micros.date(row["created_at"]), layoutJSON: nil)
            }
        }
    }

    public func venue(id: String) async throws -> VenueRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, total_seats, created_at, layout FROM venues WHERE id = ?", arguments: [id]
            ).map { row in
                VenueRecord(
                    id: row["id"], name: row["name"], totalSeats: row["total_seats"],
                    createdAt: Micros.date(row["created_at"]), layoutJSON: row["layout"])
            }
        }
    }
}
