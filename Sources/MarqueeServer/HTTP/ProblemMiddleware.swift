import Hummingbird
import Logging
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import NIOHTTP1
import OpenAPIRuntime

/// Turns every error below it into a problem-details response. Unexpected errors are
/// logged with the request id; the client sees only a generic 500.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    /// The routes' methods, for 405 to a method a served path does not take.
    var allowed = AllowedMethods()

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            // A path that is served, asked with a method it does not take: 405, not 404.
            guard let methods = allowed.methods(for: request.uri.path), !methods.contains(request.method.rawValue)
            else { return Self.problem(for: error).response }
            var response = Problem(
                .methodNotAllowed, "method-not-allowed", "Method not allowed",
                detail: "\(request.method.rawValue) is not served here; use \(methods.joined(separator: ", ")).").response
            response.headers[.allow] = methods.joined(separator: ", ")
            return response
        } catch {
            let problem = Self.problem(for: error)
            if problem.status.code >= 500 && problem.status != .serviceUnavailable {
                context.logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            var response = problem.response
            // After a parse error the rest of the connection's bytes mean nothing.
            if Self.parseError(in: error) != nil { response.headers[.connection] = "close" }
            return response
        }
    }

    /// The one time field each operation that takes a time through the generated decoder
    /// reads (see openapi.yaml; a new show's two times are read by `CreateShowBody`).
    static let timeFields = ["createShow": "startTime", "listShows": "from"]

    /// The operations that take a body without a token. Every other one needs a token, and a
    /// request to it without one is 401 whatever its body holds: refused before it is read.
    static let bodyWithoutToken: Set<String> = ["signup", "login"]

    /// A request that sent no token to an operation that needs one.
    static func needsToken(_ error: ServerError) -> Bool {
        error.request.headerFields[.authorization] == nil && !bodyWithoutToken.contains(error.operationID)
    }

    /// The HTTP parse error behind `error`, as when a chunked body breaks off mid-way.
    static func parseError(in error: any Error) -> HTTPParserError? {
        (error as? HTTPParserError) ?? ((error as? ServerError)?.underlyingError as? HTTPParserError)
    }

    static func problem(for error: any Error) -> Problem {
        if let parse = parseError(in: error) { return MalformedRequestHandler.problem(for: parse) }
        if DatabaseFault.meansUnavailable((error as? ServerError)?.underlyingError ?? error) {
            return Problem(MarqueeError.databaseUnavailable)
        }
        switch error {
        case let problem as Problem:
            return problem
        case let error as MarqueeError:
            return Problem(error)
        case let error as DecodingError:
            return Problem(error)
        case let error as ServerError:
            // The generated server wraps whatever failed: our handlers' errors, request
            // decoding, content-type checks.
            if let underlying = error.underlyingError as? MarqueeError { return Problem(underlying) }
            if let underlying = error.underlyingError as? DecodingError {
                // A request without a body can only have failed on its query.
                if error.request.method == .get { return Problem(queryError: underlying) }
                if needsToken(error) { return Problem(MarqueeError.unauthenticated("Sign in and send Authorization: Bearer <token>.")) }
                return Problem(underlying)
            }
            if let underlying = error.underlyingError as? Problem { return underlying }
            if error.underlyingError is RFC3339DateTranscoder.InvalidTime {
                if error.request.method != .get, needsToken(error) {
                    return Problem(MarqueeError.unauthenticated("Sign in and send Authorization: Bearer <token>."))
                }
                let field = Self.timeFields[error.operationID] ?? "body"
                let message = "\(field) must be an RFC 3339 time such as 2031-01-01T20:00:00Z."
                return Problem(
                    .unprocessableContent, "validation", "Validation failed", detail: message,
                    errors: [FieldError(field: field, message: message)])
            }
            if error.httpStatus == .unsupportedMediaType {
                return Problem(
                    .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                    detail: "Send the body as application/json.")
            }
            if (400..<500).contains(error.httpStatus.code) {
                return Problem(error.httpStatus, "bad-request", "Bad request", detail: error.causeDescription)
            }
            return .internalError
        case let error as any HTTPResponseError where (400..<500).contains(error.status.code):
            let status = error.status
            return Problem(status, status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-"), status.reasonPhrase)
        default:
            return .internalError
        }
    }
}
