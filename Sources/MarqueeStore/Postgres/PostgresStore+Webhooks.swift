import Foundation
import MarqueeCore
import PostgresNIO

extension PostgresStore {
    public func createWebhook(_ new: NewWebhook, now: Date) async throws -> Webhook {
        let webhook = Webhook(id: Identifier.make(), url: new.url, eventTypes: new.eventTypes, createdAt: now)
        guard let id = Identifier.uuid(webhook.id) else { throw MarqueeError.notFound("webhook") }
        try await client.query(
            """
            INSERT INTO webhooks (id, url, secret, event_types, created_at)
            VALUES (\(id), \(new.url), \(new.secret), \(new.eventTypes.map(\.rawValue)), \(now))
            """, logger: logger)
        return webhook
    }

    public func webhooks() async throws -> [Webhook] {
        var result: [Webhook] = []
        for try await (id, url, types, createdAt) in try await client.query(
            "SELECT id, url, event_types, created_at FROM webhooks ORDER BY created_at, id", logger: logger
        ).decode((UUID, String, [String], Date).self) {
            result.append(
                Webhook(id: Identifier.text(id), url: url, eventTypes: types.compactMap(BookingEvent.Kind.init),
                        createdAt: createdAt))
        }
        return result
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        guard let uuid = Identifier.uuid(id) else { return false }
        for try await count in try await client.query(
            "WITH gone AS (DELETE FROM webhooks WHERE id = \(uuid) RETURNING 1) SELECT count(*) FROM gone", logger: logger
        ).decode(Int64.self) {
            return count > 0
        }
        return false
    }

    public func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDelivery] {
        guard let uuid = Identifier.uuid(webhookId) else { return [] }
        var result: [WebhookDelivery] = []
        for try await row in try await client.query(
            """
            SELECT id, event_id, event_type, status, attempts, last_status_code, last_error, next_attempt_at,
                   created_at, delivered_at
            FROM webhook_deliveries WHERE webhook_id = \(uuid) ORDER BY id DESC LIMIT \(Int32(limit))
            """, logger: logger
        ).decode((Int64, Int64, String, String, Int32, Int32?, String?, Date, Date, Date?).self) {
            guard let kind = BookingEvent.Kind(rawValue: row.2), let status = DeliveryStatus(rawValue: row.3) else { continue }
            result.append(
                WebhookDelivery(
                    id: row.0, webhookId: webhookId, eventId: row.1, eventType: kind, status: status,
                    attempts: Int(row.4), lastStatusCode: row.5.map(Int.init), lastError: row.6,
                    nextAttemptAt: status == .pending ? row.7 : nil, createdAt: row.8, deliveredAt: row.9))
        }
        return result
    }

    public func claimDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [DeliveryAttempt] {
        let until = now.addingTimeInterval(lease.seconds)
        let statement = PostgresStatements.ClaimDeliveries(now: now, limit: Int32(limit), until: until)
        let result = try await client.execute(statement, logger: logger).map { row in
            DeliveryAttempt(
                deliveryId: row.0, url: row.1, secret: row.2, eventId: row.3, eventType: row.4, payload: row.5,
                attempt: Int(row.6))
        }
        return result.sorted { $0.deliveryId < $1.deliveryId }
    }

    public func recordDelivery(id: Int64, outcome: DeliveryOutcome, now: Date) async throws {
        switch outcome {
        case .delivered(let code):
            try await client.query(
                """
                UPDATE webhook_deliveries SET status = 'delivered', last_status_code = \(Int32(code)), last_error = NULL,
                       delivered_at = \(now), locked_until = NULL WHERE id = \(id)
                """, logger: logger)
        case .retry(let code, let error, let next):
            try await client.query(
                """
                UPDATE webhook_deliveries SET last_status_code = \(code.map(Int32.init)), last_error = \(error),
                       next_attempt_at = \(next), locked_until = NULL WHERE id = \(id)
                """, logger: logger)
        case .failed(let code, let error):
            try await client.query(
                """
                UPDATE webhook_deliveries SET status = 'failed', last_status_code = \(code.map(Int32.init)),
                       last_error = \(error), locked_until = NULL WHERE id = \(id)
                """, logger: logger)
        }
    }
}
