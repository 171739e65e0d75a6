import NIOConcurrencyHelpers

/// The methods each route takes, read from the router once the routes are registered, so
/// that a request for a path Marquee serves with a method it does not take gets 405 with
/// `Allow` (RFC 9110, section 15.5.6) rather than 404.
final class AllowedMethods: Sendable {
    private struct Route {
        /// The template's segments; one starting with `:` or `{` stands for any segment.
        var segments: [Substring]
        var methods: Set<String>
    }

    private let routes = NIOLockedValueBox<[Route]>([])

    /// Takes the router's routes, as (template, method) pairs.
    func load(_ pairs: [(path: String, method: String)]) {
        var byPath: [String: Set<String>] = [:]
        for (path, method) in pairs { byPath[path, default: []].insert(method) }
        routes.withLockedValue { routes in
            routes = byPath.map { Route(segments: Self.segments($0.key), methods: $0.value) }
        }
    }

    /// The methods `path` is served with, sorted; nil when no route has that path.
    func methods(for path: String) -> [String]? {
        let asked = Self.segments(path)
        let methods = routes.withLockedValue { routes in
            routes.filter { route in
                route.segments.count == asked.count
                    && zip(route.segments, asked).allSatisfy { template, segment in
                        template.first == ":" || template.first == "{" || template == segment
                    }
            }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        }
        return methods.isEmpty ? nil : methods.sorted()
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
