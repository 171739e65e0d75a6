import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// The outbox (booking_events), written by triggers; read here for live streams and
/// snapshots, pruned by age.
extension PostgresStore {
    public func latestEventId() async throws -> Int64 {
        for try await id in try await client.query("SELECT coalesce(max(id), 0) FROM booking_events", logger: logger)
            .decode(Int64.self)
        {
            return id
        }
        return 0
    }

    public func events(after id: Int64, orAmong missing: [Int64], limit: Int) async throws -> [BookingEvent] {
        try await client.execute(PostgresStatements.Events(after: id, missing: missing, limit: Int32(limit)), logger: logger)
            .compactMap(Self.event)
    }

    public func showEvents(showId: String, after id: Int64, limit: Int) async throws -> [BookingEvent]? {
        guard let uuid = Identifier.uuid(showId) else { return [] }
        return try await client.withConnection { connection in
            // Ids are never reused: if the oldest kept event is past `id + 1`, some may be gone.
            for try await oldest in try await connection.query("SELECT min(id) FROM booking_events", logger: self.logger)
                .decode(Int64?.self)
            {
                if let oldest, oldest > id + 1 { return nil }
            }
            return try await Self.events(
                try await connection.query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM booking_events
                    WHERE show_id = \(uuid) AND id > \(id) ORDER BY id LIMIT \(Int32(limit))
                    """, logger: self.logger))
        }
    }

    public func seatSnapshot(showId: String, now: Date) async throws -> SeatSnapshot? {
        guard let uuid = Identifier.uuid(showId) else { return nil }
        // One statement, so one snapshot: the seats and the event id are of the same moment.
        for try await (exists, taken, last) in try await client.query(
            """
            SELECT EXISTS (SELECT 1 FROM shows WHERE id = \(uuid)),
                   (SELECT coalesce(array_agg(c.seat ORDER BY c.seat), '{}') FROM seat_claims c
                    WHERE c.show_id = \(uuid) AND (c.expires_at IS NULL OR c.expires_at > \(now))),
                   (SELECT coalesce(max(e.id), 0) FROM booking_events e WHERE e.show_id = \(uuid))
            """, logger: logger
        ).decode((Bool, [Int32], Int64).self) {
            return exists ? SeatSnapshot(takenSeats: taken.map(Int.init), lastEventId: last) : nil
        }
        return nil
    }

    public func pruneEvents(createdBefore cutoff: Date) async throws -> Int {
        var count = 0
        // The newest event stays, so the oldest id kept always tells how far pruning went.
        for try await deleted in try await client.query(
            """
            WITH gone AS (
                DELETE FROM booking_events
                WHERE created_at < \(cutoff) AND id < (SELECT max(id) FROM booking_events) RETURNING 1
            ) SELECT count(*) FROM gone
            """,
            logger: logger
        ).decode(Int64.self) {
            count = Int(deleted)
        }
        return count
    }

    static let eventColumns = "id, type, show_id, booking_id, seats, created_at"

    static func events(_ rows: PostgresRowSequence) async throws -> [BookingEvent] {
        var events: [BookingEvent] = []
        for try await row in rows.decode(PostgresStatements.Events.Row.self) {
            if let event = event(row) { events.append(event) }
        }
        return events
    }

    static func event(_ row: PostgresStatements.Events.Row) -> BookingEvent? {
        let (id, type, show, booking, seats, createdAt) = row
        guard let kind = BookingEvent.Kind(rawValue: type) else { return nil }
        return BookingEvent(
            id: id, kind: kind, showId: Identifier.text(show), bookingId: booking.map(Identifier.text),
            seats: seats.map(Int.init).sorted(), createdAt: createdAt)
    }
}
