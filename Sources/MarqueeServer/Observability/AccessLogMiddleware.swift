import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request: method, route template (never the raw path, so ids stay out
/// of log keys), status, duration in milliseconds, the user when known, and the request id
/// (from the logger's metadata). Sits inside ``RequestScopeMiddleware``, outside everything
/// that can fail, so error answers are logged with their real status.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = started.duration(to: .now)
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(Int(response.status.code)),
            "duration_ms": .string(String(format: "%.2f", elapsed.seconds * 1000)),
        ]
        if let userId = RequestScope.current.user.withLockedValue({ $0 }) {
            metadata["user_id"] = .string(userId)
        }
        context.logger.info("request", metadata: metadata)
        return response
    }
}
