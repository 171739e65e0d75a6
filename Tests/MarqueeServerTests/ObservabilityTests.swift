import Foundation
import HTTPTypes
import Logging
@testable import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import NIOConcurrencyHelpers
import Testing

/// Collects the lines a ``JSONLogHandler`` writes.
final class LogLines: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var all: [String] { lines.withLockedValue { $0 } }
    var objects: [[String: Any]] {
        all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    func logger(level: Logger.Level = .info) -> Logger {
        Logger(label: "marquee") { label in
            var handler = JSONLogHandler(label: label) { line in self.lines.withLockedValue { $0.append(line) } }
            handler.logLevel = level
            return handler
        }
    }
}

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

@Suite struct StartupGateTests {
    @Test func theSweeperWaitsForStartUpBeforeTouchingTheDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("s.sqlite").path)  // not migrated yet
        let lines = LogLines()
        let gate = StartupGate()
        let sweeper = HoldSweeper(
            store: store, interval: .milliseconds(20), logger: lines.logger(),
            metrics: MarqueeMetrics(factory: MetricsSetup().factory), clock: { Date() }, started: gate,
            changes: OutboxSignal(),
            retention: RetentionSweep(store: store, keyRetention: .seconds(86_400), eventRetention: .seconds(86_400)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sweeper.run() }
            try await Task.sleep(for: .milliseconds(150))
            #expect(!lines.all.contains { $0.contains("Sweep failed") || $0.contains("Retention sweep failed") }, "swept before the schema existed")
            try await store.migrate()
            gate.open()
            try await Task.sleep(for: .milliseconds(150))
            #expect(!lines.all.contains { $0.contains("Sweep failed") || $0.contains("Retention sweep failed") })
            group.cancelAll()
        }
    }

    @Test func aCancelledWaiterReturnsThoughTheGateNeverOpens() async throws {
        let gate = StartupGate()
        let returned = NIOLockedValueBox(false)
        let waiter = Task {
            await gate.wait()
            returned.withLockedValue { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!returned.withLockedValue { $0 })
        waiter.cancel()
        // Polled with a deadline: a gate that ignored cancellation fails here, not hangs.
        for _ in 0..<250 where !returned.withLockedValue({ $0 }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(returned.withLockedValue { $0 })
    }

    @Test func waitersResumeWhenTheGateOpensAndLaterWaitersPassStraightThrough() async throws {
        let gate = StartupGate()
        let passed = NIOLockedValueBox(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await gate.wait()
                    passed.withLockedValue { $0 += 1 }
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(passed.withLockedValue { $0 } == 0)
            gate.open()
            try await group.waitForAll()
        }
        #expect(passed.withLockedValue { $0 } == 3)
        await gate.wait()
    }
}

@Suite struct MetricsTests {
    @Test(arguments: Engine.available)
    func metricsCountRequestsBookingsConflictsLoginFailuresAndExpiredHolds(engine: Engine) async throws {
        let clock = TestClock()
        try await TestApp.run(engine, clock: clock, configure: { $0.sweepInterval = .milliseconds(50) }) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (bob, _) = try await api.signup("Bob")
            _ = try await api.call(.post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[1]}"#)
            _ = try await api.call(.post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[1]}"#)
            _ = try await api.call(.post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[2],"hold":true}"#)
            _ = try await api.call(.post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[0]}"#)
            _ = try await api.call(.get, "/api/shows/\(show)")
            _ = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"admin@example.com","password":"wrong-password"}"#)
            clock.advance(seconds: 121)
            // The sweeper runs every 50 ms: wait until it has marked the lapsed hold.
            var text = try await api.text("/metrics")
            let deadline = ContinuousClock.now + .seconds(10)
            while !text.body.contains("marquee_holds_expired_total 1") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                text = try await api.text("/metrics")
            }
            #expect(text.status == 200)
            let body = text.body
            for line in [
                #"marquee_booking_duration_seconds_count{outcome="confirmed"} 1"#,
                #"marquee_booking_duration_seconds_count{outcome="conflict"} 1"#,
                #"marquee_booking_duration_seconds_count{outcome="held"} 1"#,
                #"marquee_booking_duration_seconds_count{outcome="invalid"} 1"#,
                "marquee_seat_conflicts_total 1",
                "marquee_login_failures_total 1",
                "marquee_holds_expired_total 1",
            ] {
                #expect(body.contains(line), "missing \(line)")
            }
            #expect(body.contains(#"http_requests_total{method="GET",route="/api/shows/{id}",status="200"} 1"#))
            #expect(body.contains("http_request_duration_seconds_bucket"))
            // Labels stay bounded: no ids, no raw paths.
            #expect(!body.contains(show))
        }
    }
}
