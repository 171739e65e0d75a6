import Foundation
import HTTPTypes
import Logging
@testable import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import NIOConcurrencyHelpers
import Testing

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
            _ = try await api.call(HTTPRequest.Method("BREW")!, "/api/shows")
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
            // One route, each status its own series (the server keeps each series' handles).
            for (status, count) in [(201, 2), (409, 1), (422, 1)] {
                let line = #"http_requests_total{method="POST",route="/api/bookings",status="\#(status)"} \#(count)"#
                #expect(body.contains(line), "missing \(line)")
            }
            #expect(body.contains("http_request_duration_seconds_bucket"))
            // Labels stay bounded: no ids, no raw paths, no invented methods.
            #expect(!body.contains(show))
            #expect(!body.contains("BREW"))
            #expect(body.contains(#"http_requests_total{method="other",route="#))
        }
    }
}

@Suite struct PoolMinimumTests {
    /// Connections open, as the pool gauge on /metrics says: idle plus in use.
    static func openConnections(_ api: API) async throws -> Double {
        let body = try await api.text("/metrics").body
        return ["idle", "in_use"].map { state in
            body.split(separator: "\n").first { $0.hasPrefix(#"marquee_db_pool_connections{state="\#(state)"} "#) }
                .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }.reduce(0, +)
    }

    /// MARQUEE_DB_POOL_MIN: an instance that serves nothing still has that many connections
    /// open, so the first buyers of an on-sale find them warm. (Without it, an idle
    /// instance's start-up and background work open three or so.)
    @Test(arguments: Engine.available.filter { $0 == .postgres })
    func anIdleInstanceKeepsThePoolMinimumOpen(engine: Engine) async throws {
        try await TestApp.run(engine, configure: { $0.databasePoolSize = 10; $0.databasePoolMinimum = 10 }) { api async throws in
            var open = try await Self.openConnections(api)
            let deadline = ContinuousClock.now + .seconds(10)
            while open < 10 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                open = try await Self.openConnections(api)
            }
            #expect(open == 10)
        }
    }
}
