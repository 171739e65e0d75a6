import HTTPTypes
import Hummingbird
import MarqueeStore
import NIOCore

/// Serves `GET /api/shows` and `GET /api/shows/{id}` from the ``ReadCache`` when it can, and
/// fills it when it cannot. Every answer carries an ETag, and a repeat reader sending it in
/// `If-None-Match` gets 304 without a body. `Cache-Control` lets a CDN keep an answer for a
/// second or two (`s-maxage`) while browsers revalidate each time, so a buyer never sees
/// their own booking missing.
///
/// With replicas, these are the reads a replica may serve (``ReadRoute``): a read with a
/// `Marquee-Consistency` token needs data at least that new, and a refill needs data at least
/// as new as the change that emptied the cache (``ReadCache/floor(_:)``), so the seat map
/// never goes back behind what the live stream has said. A cached answer older than a
/// reader's token is not given to that reader.
struct ReadCacheMiddleware: RouterMiddleware {
    typealias Context = MarqueeRequestContext
    let cache: ReadCache
    let sharedMaxAge: Int
    /// Whether replicas may serve reads: only then are routes and tokens looked at.
    var replicated = false

    static let listRoute = "/api/shows"
    static let showRoute = "/api/shows/{id}"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get, let target = Self.target(request.uri.path) else {
            return try await next(request, context)
        }
        let key = request.uri.description
        let token = replicated ? request.headers[ConsistencyMiddleware.header].flatMap { WALPosition($0) } : nil
        var lookup = await cache.lookup(key, showId: target.showId)
        // An answer older than the reader's own write is read afresh, at least that new.
        if case .found(let entry) = lookup, Self.older(entry, than: token) { lookup = .miss }
        switch lookup {
        case .found(let entry):
            // The router does not run for a cached answer: label it as the route it stands for.
            context.coreContext.endpointPath.value = target == .list ? Self.listRoute : Self.showRoute
            return answer(entry, to: request)
        case .lead(let flight):
            let entry: ReadCache.Entry?
            let response: Response
            do {
                (response, entry) = try await read(request, context: context, target: target, token: token, next: next)
            } catch {
                cache.finish(flight, with: nil)
                throw error
            }
            cache.finish(flight, with: entry)
            return entry.map { answer($0, to: request) } ?? response
        case .miss:
            let generation = cache.generation
            let (response, entry) = try await read(request, context: context, target: target, token: token, next: next)
            guard let entry else { return response }
            cache.store(entry, under: key, readAt: generation)
            return answer(entry, to: request)
        }
    }

    /// Reads through the router; a 200 comes back as an entry to keep as well.
    /// With replicas, on a route that needs the reader's token and the cache's floor.
    private func read(
        _ request: Request, context: Context, target: Target, token: WALPosition?,
        next: (Request, Context) async throws -> Response
    ) async throws -> (Response, ReadCache.Entry?) {
        let route = replicated ? ReadRoute(atLeast: [token, cache.floor(target.showId)].compactMap { $0 }.max()) : nil
        let response = try await ReadRoute.$current.withValue(route) { try await next(request, context) }
        guard response.status == .ok else { return (response, nil) }
        let collector = BodyCollector()
        try await response.body.write(collector)
        let entry = ReadCache.Entry(
            body: collector.buffer, contentType: response.headers[.contentType],
            etag: EntityTag.of(collector.buffer.readableBytesView), showId: target.showId, stored: .now,
            position: route?.seen)
        return (response, entry)
    }

    private func answer(_ entry: ReadCache.Entry, to request: Request) -> Response {
        var headers = HTTPFields()
        headers[.eTag] = entry.etag
        headers[.cacheControl] = "public, max-age=0, s-maxage=\(sharedMaxAge)"
        if EntityTag.matches(request, entry.etag) {
            return Response(status: .notModified, headers: headers)
        }
        if let contentType = entry.contentType { headers[.contentType] = contentType }
        headers[.contentLength] = String(entry.body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: entry.body))
    }

    /// Whether a reader with `token` must not be given `entry`: it may predate the token.
    static func older(_ entry: ReadCache.Entry, than token: WALPosition?) -> Bool {
        guard let token else { return false }
        guard let position = entry.position else { return true }
        return position < token
    }

    /// What can be cached: a page of the show list, or one show's seat map.
    enum Target: Equatable {
        case list
        case show(String)

        var showId: String? {
            if case .show(let id) = self { id } else { nil }
        }
    }

    /// The cacheable answer a path asks for, if it asks for one.
    static func target(_ path: String) -> Target? {
        if path == listRoute { return .list }
        let prefix = listRoute + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let id = path.dropFirst(prefix.count)
        // A Character, not a String: Foundation's String search goes through NSString on
        // Linux, and this runs for every cached read.
        guard !id.isEmpty, !id.contains(Character("/")) else { return nil }
        return .show(String(id))
    }
}

/// Collects a response body that was made to be streamed, so it can be kept.
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
