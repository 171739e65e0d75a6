import Foundation

/// An endpoint an admin registered to receive booking events, signed with its secret.
public struct Webhook: Sendable, Equatable {
    public var id: String
    public var url: String
    public var eventTypes: [BookingEvent.Kind]
    public var createdAt: Date

    public init(id: String, url: String, eventTypes: [BookingEvent.Kind], createdAt: Date) {
        self.id = id
        self.url = url
        self.eventTypes = eventTypes
        self.createdAt = createdAt
    }
}

/// A webhook to register, checked: an absolute http(s) URL, a secret long enough to sign
/// with, and at least one known event type.
public struct NewWebhook: Sendable, Equatable {
    public var url: String
    public var secret: String
    public var eventTypes: [BookingEvent.Kind]

    public static let secretLength = 16...256

    public init(url: String, secret: String, eventTypes: [String]) throws(MarqueeError) {
        var errors = TextRules.nulErrors(
            ["url": url, "secret": secret, "eventTypes": eventTypes.joined(separator: ",")])
        let refused = Set(errors.map(\.field))
        let parsed = URLComponents(string: url)
        if !refused.contains("url"), url.count > 2_000 || parsed?.host?.isEmpty != false || !["http", "https"].contains(parsed?.scheme?.lowercased() ?? "") {
            errors.append(FieldError(field: "url", message: "Give an absolute http or https URL."))
        }
        if !refused.contains("secret"), !Self.secretLength.contains(secret.utf8.count) {
            errors.append(FieldError(field: "secret", message: "The secret must be 16 to 256 bytes."))
        }
        let kinds = eventTypes.compactMap(BookingEvent.Kind.init(rawValue:))
        if !refused.contains("eventTypes"), kinds.isEmpty || kinds.count != eventTypes.count {
            let known = BookingEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(FieldError(field: "eventTypes", message: "Choose one or more of: \(known)."))
        }
        guard errors.isEmpty else { throw .validation(errors) }
        self.url = url
        self.secret = secret
        // Each type once, in a stable order.
        self.eventTypes = BookingEvent.Kind.allCases.filter(kinds.contains)
    }
}

/// Where a delivery stands.
public enum DeliveryStatus: String, Sendable, Codable {
    case pending, delivered, failed
}

/// One event sent (or to be sent) to one webhook, with its last attempt's outcome.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: Int64
    public var webhookId: String
    public var eventId: Int64
    public var eventType: BookingEvent.Kind
    public var status: DeliveryStatus
    public var attempts: Int
    public var lastStatusCode: Int?
    public var lastError: String?
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: Int64, webhookId: String, eventId: Int64, eventType: BookingEvent.Kind, status: DeliveryStatus,
        attempts: Int, lastStatusCode: Int?, lastError: String?, nextAttemptAt: Date?, createdAt: Date,
        deliveredAt: Date?
    ) {
        self.id = id
        self.webhookId = webhookId
        self.eventId = eventId
        self.eventType = eventType
        self.status = status
        self.attempts = attempts
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// A delivery claimed for one attempt: what to send, where, signed with what.
public struct DeliveryAttempt: Sendable, Equatable {
    public var deliveryId: Int64
    public var url: String
    public var secret: String
    public var eventId: Int64
    public var eventType: String
    public var payload: String
    /// This attempt's number, from 1.
    public var attempt: Int

    public init(
        deliveryId: Int64, url: String, secret: String, eventId: Int64, eventType: String, payload: String, attempt: Int
    ) {
        self.deliveryId = deliveryId
        self.url = url
        self.secret = secret
        self.eventId = eventId
        self.eventType = eventType
        self.payload = payload
        self.attempt = attempt
    }
}

/// How an attempt ended, as the store records it.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(statusCode: Int)
    /// Try again at `next`.
    case retry(statusCode: Int?, error: String, next: Date)
    /// Out of attempts.
    case failed(statusCode: Int?, error: String)
}

/// Retries with exponential backoff: `base`, twice that, four times… up to `cap`, for at
/// most `maxAttempts` attempts in all.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    public var maxAttempts: Int

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(3600), maxAttempts: Int = 10) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// What to record after attempt number `attempt` failed with `statusCode`/`error`.
    public func outcome(afterFailed attempt: Int, statusCode: Int?, error: String, now: Date) -> DeliveryOutcome {
        guard attempt < maxAttempts else { return .failed(statusCode: statusCode, error: error) }
        let factor = Double(1 << min(attempt - 1, 30))
        let delay = min(base.seconds * factor, cap.seconds)
        return .retry(statusCode: statusCode, error: error, next: now.addingTimeInterval(delay))
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
