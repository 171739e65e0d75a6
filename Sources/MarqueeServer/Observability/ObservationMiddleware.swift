import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs and counts every request: one access line (method, route template, status,
/// duration in ms, the client's address as ``TrustedProxies`` sees it, the user when known,
/// and the request id from the logger's metadata) and the `http_requests_total` /
/// `http_request_duration_seconds` metrics. The route is the
/// template, never the raw path, so ids stay out of log keys and metric labels. Sits inside
/// ``RequestScopeMiddleware``, outside everything that can fail, so error answers are seen
/// with their real status.
struct ObservationMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    let metrics: MarqueeMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = started.duration(to: .now)
        let route = context.endpointPath ?? "unmatched"
        metrics.request(
            method: request.method.rawValue, route: route, status: Int(response.status.code), duration: elapsed)
        // Built only when it will be written: the benchmark, and busy production, log at warning.
        guard context.logger.logLevel <= .info else { return response }
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(Int(response.status.code)),
            "duration_ms": .string(String(format: "%.2f", elapsed.seconds * 1000)),
        ]
        if let client = RequestScope.current.clientAddress { metadata["client"] = .string(client) }
        if let userId = RequestScope.current.user.withLockedValue({ $0 }) {
            metadata["user_id"] = .string(userId)
        }
        context.logger.info("request", metadata: metadata)
        return response
    }
}
