import Foundation
import HTTPTypes
import MarqueeServer
import MarqueeTestSupport
import Testing

@Suite("The server serves the web app")
struct WebAppTests {
    /// A web root with a known page, a hashed asset and an unhashed file.
    static func webRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try #"<!doctype html><div id="root"></div>"#.write(
            to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "console.log(1)".write(to: root.appendingPathComponent("assets/app-ABC123.js"), atomically: true, encoding: .utf8)
        try "<svg/>".write(to: root.appendingPathComponent("favicon.svg"), atomically: true, encoding: .utf8)
        return root
    }

    static func run(_ test: @Sendable (API) async throws -> Void) async throws {
        let root = try webRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestApp.run(configure: { $0.webRoot = root.path }, test)
    }

    @Test("client-side routes get index.html, so a reload of /shows/42 works")
    func fallbackToIndex() async throws {
        try await Self.run { api in
            for path in ["/", "/shows/42", "/bookings", "/admin/shows/new"] {
                let page = try await api.page(path)
                #expect(page.status == 200, "\(path)")
                #expect(page.body.contains(#"<div id="root">"#), "\(path)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.cacheControl] == "no-cache", "index.html must be revalidated")
            }
        }
    }

    @Test("hashed assets are cached for a year; other files are not immutable")
    func cacheLifetimes() async throws {
        try await Self.run { api in
            let script = try await api.page("/assets/app-ABC123.js")
            #expect(script.status == 200)
            #expect(script.body == "console.log(1)")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let icon = try await api.page("/favicon.svg")
            #expect(icon.headers[.contentType] == "image/svg+xml")
            #expect(icon.headers[.cacheControl] == "no-cache")
        }
    }

    @Test("every page forbids inline script, plug-ins and framing, and sniffing")
    func securityHeaders() async throws {
        try await Self.run { api in
            for path in ["/", "/assets/app-ABC123.js"] {
                let page = try await api.page(path)
                let policy = try #require(page.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(policy.contains("object-src 'none'"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test("a repeat visit with the ETag gets 304 and no body")
    func notModified() async throws {
        try await Self.run { api in
            let first = try await api.page("/")
            let etag = try #require(first.headers[.eTag])
            let again = try await api.page("/shows/1", headers: [.ifNoneMatch: etag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let changed = try await api.page("/", headers: [.ifNoneMatch: #""something-else""#])
            #expect(changed.status == 200)
        }
    }

    @Test("HEAD answers like GET without a body")
    func head() async throws {
        try await Self.run { api in
            let page = try await api.page("/", method: .head)
            #expect(page.status == 200)
            #expect(page.body.isEmpty)
            #expect(page.headers[.contentLength] == String(#"<!doctype html><div id="root"></div>"#.utf8.count))
        }
    }

    @Test("a missing file is a 404 problem, not a page of HTML")
    func missingFile() async throws {
        try await Self.run { api in
            let answer = try await api.call(.get, "/assets/app-OLD.js")
            #expect(answer.status == 404)
            #expect(answer.contentType == "application/problem+json")
            // Only files read at start are served, so no path reaches the file system.
            let traversal = try await api.page("/assets/../../../../etc/passwd")
            #expect(!traversal.body.contains("root:"))
        }
    }

    @Test("API paths stay the API's: unknown ones are 404 problems, and POST is not the app's")
    func apiPathsAreNotTheApp() async throws {
        try await Self.run { api in
            for path in ["/api", "/api/nothing-here", "/health/nothing", "/metrics/x"] {
                let answer = try await api.call(.get, path)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.contentType == "application/problem+json", "\(path)")
            }
            #expect(try await api.call(.get, "/health/live").status == 200)
            #expect(try await api.call(.post, "/shows/1").status == 404)
        }
    }

    @Test("the built-in web app is found without configuration, with the assets its page names")
    func bundledApp() async throws {
        try await TestApp.run { api in
            let page = try await api.page("/")
            #expect(page.status == 200)
            #expect(page.body.contains(#"<div id="root">"#))
            let assets = page.body.matches(of: /\/assets\/app-[A-Z0-9]+\.(js|css)/).map { String($0.output.0) }
            #expect(assets.count == 2, "a script and a stylesheet")
            for asset in assets {
                let file = try await api.page(asset)
                #expect(file.status == 200, "\(asset)")
                #expect(file.headers[.cacheControl]?.contains("immutable") == true)
            }
        }
    }

    @Test("a configured folder without index.html stops the start with a clear message")
    func missingIndex() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        await #expect {
            try await TestApp.run(configure: { $0.webRoot = empty.path }) { _ in }
        } throws: { error in
            "\(error)".contains("index.html")
        }
    }
}
