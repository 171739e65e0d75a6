import Foundation
import HTTPTypes
import Hummingbird
import MarqueeCore
import MarqueeStore
import NIOConcurrencyHelpers
import NIOCore

/// Hummingbird's per-request context, plus the client's address (for login throttling).
public struct MarqueeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// What the OpenAPI handlers need from the HTTP request that the generated inputs do not
/// carry: the request id, the bearer token and the client's address. Set for the duration
/// of one request by ``RequestScopeMiddleware``.
struct RequestScope: Sendable {
    @TaskLocal static var current = RequestScope(
        requestID: "-", authorization: nil, clientAddress: nil, idempotencyKey: nil, acceptEncoding: nil)

    var requestID: String
    var authorization: String?
    var clientAddress: String?
    /// The raw `Idempotency-Key` header: present but empty must be told from absent.
    var idempotencyKey: String?
    /// The authenticated user's id, once a handler knows it (for the access log).
    let user = NIOLockedValueBox<String?>(nil)
    /// An answer stored under an Idempotency-Key, to be sent again as it was. The generated
    /// layer sends only the status of an answer its document does not name, so a handler
    /// leaves the stored answer here and ``RequestScopeMiddleware`` writes it out.
    let replay = NIOLockedValueBox<StoredResponse?>(nil)
    /// Headers to send with the answer, however it is written (a replayed answer included).
    let headers = NIOLockedValueBox<HTTPFields>([:])
    /// A whole answer a handler wrote itself (a seating plan's bytes, gzipped or not), sent
    /// instead of what the generated layer makes.
    let answer = NIOLockedValueBox<Response?>(nil)
    /// The raw `Accept-Encoding` header.
    var acceptEncoding: String?

    /// The token of an `Authorization: Bearer …` header, if there is one. (Trimmed by hand:
    /// Foundation's `trimmingCharacters` goes through NSString on Linux, and cost 6% of a
    /// booking's time on the server, measured with perf.)
    var bearerToken: String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        var token = parts[1]
        while token.first == " " || token.first == "\t" { token = token.dropFirst() }
        while token.last == " " || token.last == "\t" { token = token.dropLast() }
        return token.isEmpty ? nil : String(token)
    }
}

/// Gives every request an id (the client's `X-Request-ID` when it is safe, a new one
/// otherwise), runs the request inside its ``RequestScope``, and returns the id on every
/// response, errors included.
struct RequestScopeMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext

    static let header = HTTPField.Name("X-Request-ID")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    /// Whose `X-Forwarded-For` names the client.
    var trustedProxies = TrustedProxies()
    /// The routes whose answers carry a token.
    static let issuesTokens: Set<String> = ["/api/auth/signup", "/api/auth/login"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let id = request.headers[Self.header].flatMap { Self.isSafe($0) ? $0 : nil } ?? Identifier.make()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let scope = RequestScope(
            requestID: id, authorization: request.headers[.authorization],
            clientAddress: trustedProxies.clientAddress(
                peer: context.clientAddress, forwardedFor: request.headers[values: Self.forwardedFor]),
            idempotencyKey: request.headers[Self.idempotencyKey], acceptEncoding: request.headers[.acceptEncoding])
        var response = try await RequestScope.$current.withValue(scope) {
            try await next(request, context)
        }
        if let answer = scope.answer.withLockedValue({ $0 }) {
            response = answer
        } else if let stored = scope.replay.withLockedValue({ $0 }) {
            response = stored.response
        }
        for field in scope.headers.withLockedValue({ $0 }) { response.headers[field.name] = field.value }
        response.headers[Self.header] = id
        response.headers[.xContentTypeOptions] = "nosniff"
        // Answers to authenticated requests are personal, and sign-up and login answer with a
        // token: no cache may keep any of them.
        if request.headers[.authorization] != nil || Self.issuesTokens.contains(request.uri.path) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    /// 1 to 128 characters of `[A-Za-z0-9._-]`, as API.md says.
    static func isSafe(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }
}

/// Refuses request bodies over the limit with 413 before anything reads them, and collects
/// the rest so no handler can read more.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    let defaultMaxBytes: Int
    /// Routes allowed a larger body: a venue's seating plan may be 16 MiB (API.md).
    var larger: [String: Int] = [:]

    init(maxBytes: Int, larger: [String: Int] = [:]) {
        self.defaultMaxBytes = maxBytes
        self.larger = larger
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let maxBytes = request.method == .post ? larger[request.uri.path] ?? defaultMaxBytes : defaultMaxBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw Problem.contentTooLarge(maxBytes)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw Problem.contentTooLarge(maxBytes)
        }
        return try await next(request, context)
    }
}

/// Gives the request its database budget once its body is in (API.md, "Failure behaviour"):
/// every wait on the database inside it ends by then with 503 `database-unavailable`
/// (``DatabaseDeadline``). A slow upload does not use the budget up.
struct DatabaseDeadlineMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    let budget: Duration

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await DatabaseDeadline.$current.withValue(.now + budget) { try await next(request, context) }
    }
}

extension StoredResponse {
    /// The stored answer as it was first sent: a booking as JSON, a refusal as problem details.
    var response: Response {
        let contentType = status < 300 ? "application/json; charset=utf-8" : "application/problem+json"
        return Response(
            status: .init(code: status), headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
