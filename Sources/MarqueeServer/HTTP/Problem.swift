import Foundation
import HTTPTypes
import Hummingbird
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import NIOCore

/// An RFC 9457 problem-details answer. Every error a client sees is one of these, made in
/// one place from a domain error, a decoding error or a framework error.
struct Problem: Error, Sendable, Encodable {
    var status: HTTPResponse.Status
    var type: String
    var title: String
    var detail: String?
    var errors: [FieldError]?
    var conflictingSeats: [Int]?
    var largestBlock: Int?
    /// With `not-on-sale`: when booking opens.
    var onSaleAt: Date?
    var retryAfterSeconds: Int?

    init(
        _ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String? = nil,
        errors: [FieldError]? = nil, conflictingSeats: [Int]? = nil, largestBlock: Int? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.type = "/problems/\(slug)"
        self.title = title
        self.detail = detail
        self.errors = errors
        self.conflictingSeats = conflictingSeats
        self.largestBlock = largestBlock
        self.retryAfterSeconds = retryAfterSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors, conflictingSeats, largestBlock, onSaleAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(Int(status.code), forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(conflictingSeats, forKey: .conflictingSeats)
        try container.encodeIfPresent(largestBlock, forKey: .largestBlock)
        if let onSaleAt { try container.encode(try RFC3339DateTranscoder().encode(onSaleAt), forKey: .onSaleAt) }
    }

    static func contentTooLarge(_ limit: Int) -> Problem {
        Problem(.contentTooLarge, "content-too-large", "Request body too large", detail: "The limit is \(limit) bytes.")
    }

    static let internalError = Problem(
        .internalServerError, "internal", "Internal server error",
        detail: "Something went wrong on our side. Quote the X-Request-ID header when you report it.")

    /// The answer for a domain error.
    init(_ error: MarqueeError) {
        switch error {
        case .validation(let errors):
            self.init(
                .unprocessableContent, "validation", "Validation failed",
                detail: errors.map(\.message).joined(separator: " "), errors: errors)
        case .notFound(let what):
            self.init(.notFound, "not-found", "Not found", detail: "No such \(what).")
        case .seatsTaken(let seats):
            self.init(
                .conflict, "seats-taken", "Seats taken",
                detail: "Some of the seats are taken: \(seats.map(String.init).joined(separator: ", ")).",
                conflictingSeats: seats)
        case .emailTaken:
            self.init(.conflict, "email-taken", "Email taken", detail: "An account with this email exists.")
        case .conflict(let detail):
            self.init(.conflict, "conflict", "Conflict", detail: detail)
        case .holdExpired:
            self.init(.gone, "hold-expired", "Hold expired", detail: "The hold expired before it was confirmed.")
        case .unauthenticated(let detail):
            self.init(.unauthorized, "unauthorized", "Unauthorized", detail: detail)
        case .forbidden:
            self.init(.forbidden, "forbidden", "Forbidden", detail: "Your account may not do this.")
        case .throttled(let seconds):
            self.init(
                .tooManyRequests, "throttled", "Too many attempts", detail: "Try again in \(seconds) seconds.",
                retryAfterSeconds: seconds)
        case .databaseUnavailable:
            self.init(
                .serviceUnavailable, "database-unavailable", "Database unavailable",
                detail: "The database did not answer in time. Try again in a moment.",
                retryAfterSeconds: 2)
        case .overloaded(let seconds):
            self.init(
                .serviceUnavailable, "overloaded", "Too busy",
                detail: "Too many bookings are waiting right now; nothing was booked. Try again in \(seconds) seconds.",
                retryAfterSeconds: seconds)
        case .tooManyStreams(let limit):
            self.init(
                .tooManyRequests, "too-many-streams", "Too many live streams",
                detail: "This address already has \(limit) live seat maps open; close one first.",
                retryAfterSeconds: 5)
        case .tooManyHolds(let limit):
            self.init(
                .tooManyRequests, "too-many-holds", "Too many holds",
                detail: "You already hold seats in \(limit) bookings; confirm or cancel one first.")
        case .noAdjacentSeats(let largest):
            self.init(
                .conflict, "no-adjacent-seats", "No adjacent seats",
                detail: largest == 0
                    ? "No free seats match what you asked for."
                    : "No block of that many seats side by side is free; the largest that matches has \(largest).",
                largestBlock: largest)
        case .notOnSale(let onSaleAt):
            self.init(
                .forbidden, "not-on-sale", "Not on sale yet",
                detail: "This show goes on sale at \((try? RFC3339DateTranscoder().encode(onSaleAt)) ?? "a later time").")
            self.onSaleAt = onSaleAt
        case .queuePass(.required):
            self.init(
                .forbidden, "queue-pass-required", "Queue pass required",
                detail: "This show sells through its queue: join it, and book with the Queue-Pass you get when it is your turn.")
        case .queuePass(.invalid):
            self.init(
                .forbidden, "queue-pass-invalid", "Queue pass not valid",
                detail: "This Queue-Pass is expired, not yours, or for another show.")
        case .queuePass(.used):
            self.init(
                .forbidden, "queue-pass-invalid", "Queue pass used",
                detail: "This Queue-Pass has already been used for a booking.")
        case .noQueue:
            self.init(.conflict, "no-queue", "No queue", detail: "This show has no queue; book it directly.")
        case .idempotencyKeyReused:
            self.init(
                .unprocessableContent, "idempotency-key-reused", "Idempotency key reused",
                detail: "This Idempotency-Key was used with a different request body.",
                errors: [FieldError(field: "Idempotency-Key", message: "Already used with a different body.")])
        case .idempotencyKeyInFlight:
            self.init(
                .conflict, "idempotency-key-in-flight", "Request in progress",
                detail: "A request with this Idempotency-Key is still being processed; retry shortly.")
        }
    }

    /// The answer for a request body that could not be decoded: malformed JSON is 400, JSON
    /// of the wrong shape is 422 naming the field.
    init(_ error: DecodingError) {
        func field(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let names = (path + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "body" : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        let invalid: (String, String) -> Problem = { field, message in
            Problem(
                .unprocessableContent, "validation", "Validation failed", detail: message,
                errors: [FieldError(field: field, message: message)])
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = invalid(field(context.codingPath, key), "\(key.stringValue) is required.")
        case .valueNotFound(_, let context):
            self = invalid(field(context.codingPath), "\(field(context.codingPath)) must not be null.")
        case .typeMismatch(let type, let context):
            self = invalid(field(context.codingPath), "\(field(context.codingPath)) must be \(Self.describe(type)).")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            self = invalid(field(context.codingPath), "\(field(context.codingPath)) is not valid: \(context.debugDescription)")
        case .dataCorrupted:
            self.init(.badRequest, "malformed-json", "Malformed JSON", detail: "The request body is not valid JSON.")
        @unknown default:
            self.init(.badRequest, "bad-request", "Bad request")
        }
    }

    /// The answer for a query parameter of the wrong type: 422 naming the parameter.
    init(queryError error: DecodingError) {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(_, let context), .valueNotFound(_, let context), .typeMismatch(_, let context),
            .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            path = []
        }
        let field = path.first?.stringValue ?? "query"
        let message =
            path.first.map { "The query parameter \($0.stringValue) is not valid." }
            ?? "A query parameter has the wrong type or format."
        self.init(
            .unprocessableContent, "validation", "Validation failed", detail: message,
            errors: [FieldError(field: field, message: message)])
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is [Int].Type: "a whole number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Array<Any>.Type: "an array"
        default: "of another type"
        }
    }

    /// The stored form of this answer, for idempotent replays.
    var stored: StoredResponse {
        StoredResponse(status: Int(status.code), body: String(decoding: encodedBody, as: UTF8.self))
    }

    var encodedBody: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{\"status\":500}".utf8)
    }

    var response: Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encodedBody)))
    }
}
