import Foundation
import GRDB
import MarqueeCore

/// Webhook endpoints and their deliveries, queued by a trigger on the outbox.
extension SQLiteStore {
    public func createWebhook(_ new: NewWebhook, now: Date) async throws -> Webhook {
        let webhook = Webhook(id: Identifier.make(), url: new.url, eventTypes: new.eventTypes, createdAt: now)
        let types = "[" + new.eventTypes.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO webhooks (id, url, secret, event_types, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [webhook.id, new.url, new.secret, types, Micros.from(now)])
        }
        return webhook
    }

    public func webhooks() async throws -> [Webhook] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, url, event_types, created_at FROM webhooks ORDER BY created_at, id").map {
                row in
                let types = (row["event_types"] as String).split(separator: ",").compactMap {
                    BookingEvent.Kind(rawValue: $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]\" ")))
                }
                return Webhook(id: row["id"], url: row["url"], eventTypes: types, createdAt: Micros.date(row["created_at"]))
            }
        }
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, webhook_id, event_id, event_type, status, attempts, last_status_code, last_error,
                           next_attempt_at, created_at, delivered_at
                    FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?
                    """,
                arguments: [webhookId, limit]
            ).compactMap { row in
                guard let kind = BookingEvent.Kind(rawValue: row["event_type"]),
                    let status = DeliveryStatus(rawValue: row["status"])
                else { return nil }
                return WebhookDelivery(
                    id: row["id"], webhookId: row["webhook_id"], eventId: row["event_id"], eventType: kind, status: status,
                    attempts: row["attempts"], lastStatusCode: row["last_status_code"], lastError: row["last_error"],
                    nextAttemptAt: status == .pending ? Micros.date(row["next_attempt_at"]) : nil,
                    createdAt: Micros.date(row["created_at"]), deliveredAt: (row["delivered_at"] as Int64?).map(Micros.date))
            }
        }
    }

    public func claimDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [DeliveryAttempt] {
        let at = Micros.from(now)
        let until = Micros.from(now.addingTimeInterval(lease.seconds))
        // Asked after every change: a read first, so that with nothing due no claim takes the
        // write lock that bookings queue for.
        guard try await pool.read({ db in try !Self.dueDeliveries(at: at, limit: 1, in: db).isEmpty }) else { return [] }
        return try await writeImmediately { db in
            try Self.dueDeliveries(at: at, limit: limit, in: db).map { row in
                try db.execute(
                    sql: "UPDATE webhook_deliveries SET attempts = attempts + 1, locked_until = ? WHERE id = ?",
                    arguments: [until, row["id"] as Int64])
                return DeliveryAttempt(
                    deliveryId: row["id"], url: row["url"], secret: row["secret"], eventId: row["event_id"],
                    eventType: row["event_type"], payload: row["payload"], attempt: (row["attempts"] as Int) + 1)
            }
        }
    }

    /// Deliveries whose next attempt is due and that nobody holds a lease on, oldest first.
    static func dueDeliveries(at: Int64, limit: Int, in db: Database) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.id, w.url, w.secret, d.event_id, d.event_type, d.payload, d.attempts
                FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?)
                ORDER BY d.next_attempt_at LIMIT ?
                """,
            arguments: [at, at, limit])
    }

    public func recordDelivery(id: Int64, outcome: DeliveryOutcome, now: Date) async throws {
        try await writeImmediately { db in
            switch outcome {
            case .delivered(let code):
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET status = 'delivered', last_status_code = ?, last_error = NULL,
                               delivered_at = ?, locked_until = NULL WHERE id = ?
                        """,
                    arguments: [code, Micros.from(now), id])
            case .retry(let code, let error, let next):
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET last_status_code = ?, last_error = ?, next_attempt_at = ?,
                               locked_until = NULL WHERE id = ?
                        """,
                    arguments: [code, error, Micros.from(next), id])
            case .failed(let code, let error):
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET status = 'failed', last_status_code = ?, last_error = ?,
                               locked_until = NULL WHERE id = ?
                        """,
                    arguments: [code, error, id])
            }
        }
    }
}
