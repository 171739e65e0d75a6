import HTTPTypes
import Hummingbird

/// Serves the web app at every GET or HEAD path that is not the API's (`/api`, `/health`,
/// `/metrics`), with the headers a browser needs to keep it safe and fast:
/// - a Content-Security-Policy that allows no inline script, no plug-ins and no framing;
/// - hashed files under `/assets/` cached for a year, `index.html` revalidated every time
///   (by ETag), so a new release is picked up on the next load.
struct WebAppMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    let assets: WebAssets

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard request.method == .get || request.method == .head, !Self.belongsToServer(path) else {
            return try await next(request, context)
        }
        // Labels the access log and metrics with one route, not every client-side path.
        context.coreContext.endpointPath.value = "/ (web app)"
        guard let file = assets.file(for: path) else {
            throw Problem(.notFound, "not-found", "Not found", detail: "No such file.")
        }
        var headers = HTTPFields()
        headers[.contentType] = file.contentType
        headers[.eTag] = file.etag
        headers[.cacheControl] = file.immutable ? "public, max-age=31536000, immutable" : "no-cache"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[Self.referrerPolicy] = "same-origin"
        headers[Self.frameOptions] = "DENY"
        if EntityTag.matches(request, file.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(file.body.readableBytes)
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: file.body))
    }

    /// Paths the API answers, even when nothing there matches (a 404 problem, not the app).
    static func belongsToServer(_ path: String) -> Bool {
        ["/api", "/health", "/metrics"].contains { path == $0 || path.hasPrefix($0 + "/") }
    }
}
