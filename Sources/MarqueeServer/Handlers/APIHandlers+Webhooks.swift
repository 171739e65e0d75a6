import Foundation
import MarqueeAPI
import MarqueeCore

extension APIHandlers {
    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        try await authenticatedAdmin()
        return .ok(.init(body: .json(.init(items: try await store.webhooks().map(Components.Schemas.Webhook.init)))))
    }

    func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        try await authenticatedAdmin()
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        let webhook = try NewWebhook(url: body.url, secret: body.secret, eventTypes: body.eventTypes)
        return .created(.init(body: .json(.init(try await store.createWebhook(webhook, now: clock())))))
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        try await authenticatedAdmin()
        guard try await store.deleteWebhook(id: input.path.id) else { throw MarqueeError.notFound("webhook") }
        return .noContent(.init())
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws
        -> Operations.ListWebhookDeliveries.Output
    {
        try await authenticatedAdmin()
        guard try await store.webhooks().contains(where: { $0.id == input.path.id }) else {
            throw MarqueeError.notFound("webhook")
        }
        let deliveries = try await store.deliveries(webhookId: input.path.id, limit: 100)
        return .ok(.init(body: .json(.init(items: deliveries.compactMap(Components.Schemas.WebhookDelivery.init)))))
    }

    /// 401 without a valid token, 403 for a customer.
    private func authenticatedAdmin() async throws {
        guard try await authenticatedUser().role == .admin else { throw MarqueeError.forbidden }
    }
}

extension Components.Schemas.Webhook {
    init(_ webhook: Webhook) {
        self.init(
            id: webhook.id, url: webhook.url,
            eventTypes: webhook.eventTypes.compactMap { Components.Schemas.EventType(rawValue: $0.rawValue) },
            createdAt: webhook.createdAt)
    }
}

extension Components.Schemas.WebhookDelivery {
    init?(_ delivery: WebhookDelivery) {
        guard let type = Components.Schemas.EventType(rawValue: delivery.eventType.rawValue),
            let status = StatusPayload(rawValue: delivery.status.rawValue)
        else { return nil }
        self.init(
            id: delivery.id, eventId: delivery.eventId, eventType: type, status: status, attempts: delivery.attempts,
            lastStatusCode: delivery.lastStatusCode, lastError: delivery.lastError, nextAttemptAt: delivery.nextAttemptAt,
            createdAt: delivery.createdAt, deliveredAt: delivery.deliveredAt)
    }
}
