import Foundation
import MarqueeCore
import PostgresNIO

/// Venues (migrations/0010_venues.sql).
extension PostgresStore {
    public func createVenue(_ venue: NewVenue, now: Date) async throws -> VenueRecord {
        let record = VenueRecord(
            id: Identifier.make(), name: venue.name, totalSeats: venue.totalSeats, createdAt: now,
            layoutJSON: venue.layoutJSON)
        try await client.query(
            """
            INSERT INTO venues (id, name, total_seats, layout, created_at)
            VALUES (\(Identifier.uuid(record.id)!), \(record.name), \(record.totalSeats), \(venue.layoutJSON), \(now))
            """, logger: logger)
        return record
    }

    public func venues() async throws -> [VenueRecord] {
        let rows = try await client.query(
            "SELECT id, name, total_seats, created_at FROM venues ORDER BY created_at DESC, id DESC", logger: logger)
        var found: [VenueRecord] = []
        for try await (id, name, total, created) in rows.decode((UUID, String, Int, Date).self) {
            found.append(
                VenueRecord(id: Identifier.text(id), name: name, totalSeats: total, createdAt: created, layoutJSON: nil))
        }
        return found
    }

    public func venue(id: String) async throws -> VenueRecord? {
        guard let uuid = Identifier.uuid(id) else { return nil }
        let rows = try await client.query(
            "SELECT name, total_seats, created_at, layout FROM venues WHERE id = \(uuid)", logger: logger)
        for try await (name, total, created, layout) in rows.decode((String, Int, Date, String).self) {
            return VenueRecord(id: Identifier.text(uuid), name: name, totalSeats: total, createdAt: created, layoutJSON: layout)
        }
        return nil
    }
}
