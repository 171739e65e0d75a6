import HTTPTypes
import Hummingbird
import MarqueeStore

/// With replicas: every successful write answers with `Marquee-Consistency`, the primary's
/// WAL position after its commit (API.md, "Read replicas (v2, PostgreSQL)"). A GET that sends
/// it back is served by a replica only once that replica has replayed so far
/// (``ReadCacheMiddleware``), so a client always reads its own writes.
///
/// The position is read after the handler has returned, so after the commit; writes that
/// finish together share one query (``BookingStore/walPosition(after:)``).
struct ConsistencyMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    static let header = HTTPField.Name("Marquee-Consistency")!
    let store: any BookingStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        var response = try await next(request, context)
        guard (200..<300).contains(response.status.code) else { return response }
        // A position that cannot be read within half a second (the primary just went away)
        // leaves the header off: the write stands, and its client reads within the lag.
        let mark = ContinuousClock.now
        if let position = try? await DatabaseDeadline.$current.withValue(mark + .milliseconds(500), operation: {
            try await store.walPosition(after: mark)
        }) {
            response.headers[Self.header] = position.description
        }
        return response
    }
}
