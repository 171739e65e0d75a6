import Foundation
import HTTPTypes
import Logging
@testable import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import NIOConcurrencyHelpers
import Testing

@Suite struct ObservabilityTests {
    @Test func everyLogLineIsOneJsonObjectWithItsMetadata() throws {
        let lines = LogLines()
        var logger = lines.logger(level: .debug)
        logger[metadataKey: "request_id"] = "r-1"
        logger.info("hello \"world\"\nsecond line", metadata: ["seats": .array(["1", "2"]), "n": .stringConvertible(3)])
        logger.debug("quiet")
        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { !$0.contains("\n") })
        let first = try #require(lines.objects.first)
        #expect(first["msg"] as? String == "hello \"world\"\nsecond line")
        #expect(first["level"] as? String == "info")
        #expect(first["request_id"] as? String == "r-1")
        #expect(first["seats"] as? [String] == ["1", "2"])
        #expect(first["n"] as? String == "3")
        #expect(first["ts"] is String)
    }

    @Test(arguments: Engine.available)
    func eachRequestGetsOneAccessLineWithItsIdRouteTemplateStatusAndUser(engine: Engine) async throws {
        let lines = LogLines()
        try await TestApp.run(engine, logger: lines.logger()) { api async throws in
            let show = try await api.createShow()
            let (token, userId) = try await api.signup()
            let requestID = HTTPField.Name("X-Request-ID")!
            _ = try await api.call(.get, "/api/shows/\(show)", headers: [requestID: "trace-42"])
            _ = try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[1]}"#,
                headers: [requestID: "trace-43"])
            _ = try await api.call(.get, "/api/nowhere", headers: [requestID: "trace-44"])

            let access = lines.objects.filter { $0["msg"] as? String == "request" }
            let traced = Dictionary(grouping: access, by: { $0["request_id"] as? String ?? "" })
            let read = try #require(traced["trace-42"]?.first)
            #expect(traced["trace-42"]?.count == 1)
            #expect(read["method"] as? String == "GET")
            #expect(read["status"] as? String == "200")
            #expect(read["duration_ms"] is String)
            let route = try #require(read["route"] as? String)
            #expect(route.contains("shows") && !route.contains(show), "route \(route) must be a template")
            let booked = try #require(traced["trace-43"]?.first)
            #expect(booked["status"] as? String == "201")
            #expect(booked["user_id"] as? String == userId)
            #expect(traced["trace-44"]?.first?["status"] as? String == "404")


            // Nothing secret is ever written.
            let everything = lines.all.joined()
            #expect(!everything.contains(token))
            #expect(!everything.contains("password1") && !everything.contains(TestApp.adminPassword))
            #expect(!everything.contains(TestApp.secret))
        }
    }

    @Test(arguments: Engine.available)
    func responsesForbidSniffingAndAuthenticatedOnesForbidCaching(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let (token, _) = try await api.signup()
            let anonymous = try await api.call(.get, "/api/shows")
            #expect(anonymous.headers[.xContentTypeOptions] == "nosniff")
            // Public reads may sit in a shared cache for a second (see ReadCacheMiddleware).
            #expect(anonymous.headers[.cacheControl] == "public, max-age=0, s-maxage=1")
            let mine = try await api.call(.get, "/api/bookings", token: token)
            #expect(mine.headers[.xContentTypeOptions] == "nosniff")
            #expect(mine.headers[.cacheControl] == "no-store")
            let refused = try await api.call(.get, "/api/bookings", token: "bad")
            #expect(refused.headers[.cacheControl] == "no-store")
        }
    }
}
