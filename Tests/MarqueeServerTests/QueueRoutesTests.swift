import Foundation
import HTTPTypes
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Queues through the HTTP API (API.md, "Queues"): on-sale times, joining, one's entry, the
/// public status and audit order, admin control, and passes: missing, forged, expired,
/// foreign, for another show, reused. The clock is moved by hand; the keeper beats as it
/// does in production, so each step waits for the next beat.
@Suite struct QueueRoutesTests {
    static let onSale = "2031-01-01T19:00:00Z"

    /// A show going on sale at `onSaleAt` with a queue; returns its id.
    static func queuedShow(_ api: API, admin: String, seats: Int, onSaleAt: Date, perMinute: Int = 6_000) async throws
        -> String
    {
        let show = try await api.call(
            .post, "/api/shows", token: admin,
            json: #"""
                {"name": "On sale", "startTime": "2031-06-01T20:00:00Z", "totalSeats": \#(seats),
                 "onSaleAt": "\#(Self.text(onSaleAt))", "queue": {"admitPerMinute": \#(perMinute), "passSeconds": 60}}
                """#)
        #expect(show.status == 201)
        return try #require(show["id"] as? String)
    }

    static func text(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.up)).formatted(.iso8601)
    }

    /// Waits until `condition` holds, checking every 50 ms (gently: the suite runs in parallel)
    /// and moving the clock on by `step` each time, so the keeper's next beat sees time pass
    /// (admission is paced by the clock). Fails after 15 s.
    static func waitMoving(_ clock: TestClock?, by step: TimeInterval = 0.05, _ condition: @Sendable () async -> Bool)
        async throws
    {
        let deadline = ContinuousClock.now + .seconds(15)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw QueueTestError("condition not met within 15 s") }
            try await Task.sleep(for: .milliseconds(50))
            clock?.advance(seconds: step)
        }
    }

    struct QueueTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Waits until the caller's entry is in `state`, and returns it.
    static func entry(_ api: API, show: String, token: String, becomes state: String) async throws -> Answer {
        try await waitMoving(nil) {
            (try? await api.call(.get, "/api/shows/\(show)/queue/me", token: token))?["state"] as? String == state
        }
        return try await api.call(.get, "/api/shows/\(show)/queue/me", token: token)
    }

    static func book(_ api: API, show: String, seats: [Int], token: String, pass: String?) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let pass { headers[HTTPField.Name("Queue-Pass")!] = pass }
        return try await api.call(
            .post, "/api/bookings", token: token, json: #"{"showId": "\#(show)", "seats": \#(seats)}"#, headers: headers)
    }

    @Test(arguments: Engine.available)
    func aQueueGoesOnSaleAdmitsInTurnAndItsPassesBookOnce(engine: Engine) async throws {
        let clock = TestClock()
        try await TestApp.run(engine, clock: clock) { api async throws in
            let admin = try await api.adminToken()
            let onSaleAt = clock.now.addingTimeInterval(120)
            let show = try await Self.queuedShow(api, admin: admin, seats: 10, onSaleAt: onSaleAt)
            let detail = try await api.call(.get, "/api/shows/\(show)")
            #expect((detail["queue"] as? [String: Any])?["state"] as? String == "scheduled")
            #expect(detail["onSaleAt"] as? String == Self.text(onSaleAt))
            #expect(try await api.call(.get, "/api/shows/\(try await api.createShow())")["queue"] is NSNull)

            // Before onSaleAt: nobody books, queue or not; people join, unranked.
            let (ann, _) = try await api.signup("Ann")
            let (ben, _) = try await api.signup("Ben")
            let early = try await Self.book(api, show: show, seats: [1], token: ann, pass: nil)
            #expect(early.status == 403 && early["type"] as? String == "/problems/not-on-sale")
            #expect(early["onSaleAt"] as? String == Self.text(onSaleAt))
            #expect(try await api.call(.post, "/api/shows/\(show)/queue").status == 401)
            let joined = try await api.call(.post, "/api/shows/\(show)/queue", token: ann)
            #expect(joined.status == 201 && joined["rank"] is NSNull && joined["state"] as? String == "waiting")
            #expect(joined["pass"] is NSNull && joined["passExpiresAt"] is NSNull)
            let again = try await api.call(.post, "/api/shows/\(show)/queue", token: ann)
            #expect(again.status == 200 && again["id"] as? String == joined["id"] as? String)
            #expect(try await api.call(.post, "/api/shows/\(show)/queue", token: ben).status == 201)
            let (cat, _) = try await api.signup("Cat")
            #expect(try await api.call(.get, "/api/shows/\(show)/queue/me", token: cat).status == 404)

            let scheduled = try await api.call(.get, "/api/shows/\(show)/queue")
            #expect(scheduled["state"] as? String == "scheduled" && scheduled["seed"] is NSNull)
            let commitment = try #require(scheduled["shuffleCommitment"] as? String)
            #expect(try await api.call(.get, "/api/shows/\(show)/queue/order").status == 409)
            #expect(try await api.call(.patch, "/api/shows/\(show)/queue", token: admin, json: #"{"state": "paused"}"#).status == 409)
            #expect(try await api.call(.patch, "/api/shows/\(show)/queue", token: ann, json: #"{"state": "paused"}"#).status == 403)

            // On sale: the seed is revealed and matches the commitment; the order is the draw.
            clock.advance(seconds: 121)
            try await Self.waitMoving(clock) {
                (try? await api.call(.get, "/api/shows/\(show)/queue"))?["serving"] as? Int == 2
            }
            let open = try await api.call(.get, "/api/shows/\(show)/queue")
            #expect(open["state"] as? String == "open" && open["admitted"] as? Int == 2 && open["waiting"] as? Int == 0)
            let seed = try #require(open["seed"] as? String)
            #expect(QueueShuffle.commitment(to: seed) == commitment)
            let order = try await api.call(.get, "/api/shows/\(show)/queue/order")
            let ids = try #require(order["entries"] as? [String])
            #expect(order["seed"] as? String == seed && ids.count == 2)
            #expect(QueueShuffle.order(seed: seed, entryIds: ids) == ids)

            // Admitted: a pass, bound to its account and show, good once.
            let annEntry = try await Self.entry(api, show: show, token: ann, becomes: "admitted")
            let pass = try #require(annEntry["pass"] as? String)
            #expect(annEntry["passExpiresAt"] is String && [1, 2].contains(annEntry["rank"] as? Int))
            let missing = try await Self.book(api, show: show, seats: [1], token: ann, pass: nil)
            #expect(missing.status == 403 && missing["type"] as? String == "/problems/queue-pass-required")
            for (token, forged) in [(ann, pass.dropLast(3) + "AAA"), (ben, Substring(pass)), (ann, "nonsense")] {
                let refused = try await Self.book(api, show: show, seats: [1], token: token, pass: String(forged))
                #expect(refused.status == 403 && refused["type"] as? String == "/problems/queue-pass-invalid")
            }
            let otherShow = try await Self.queuedShow(api, admin: admin, seats: 5, onSaleAt: clock.now.addingTimeInterval(-1))
            let elsewhere = try await Self.book(api, show: otherShow, seats: [1], token: ann, pass: pass)
            #expect(elsewhere.status == 403 && elsewhere["type"] as? String == "/problems/queue-pass-invalid")

            let booked = try await Self.book(api, show: show, seats: [1, 2], token: ann, pass: pass)
            #expect(booked.status == 201)
            let reused = try await Self.book(api, show: show, seats: [3], token: ann, pass: pass)
            #expect(reused.status == 403 && reused["type"] as? String == "/problems/queue-pass-invalid")
            #expect(try await api.call(.get, "/api/shows/\(show)/queue/me", token: ann)["state"] as? String == "done")

            // A pass that runs out unused is refused, and its entry says so.
            let benPass = try #require(try await Self.entry(api, show: show, token: ben, becomes: "admitted")["pass"] as? String)
            clock.advance(seconds: 61)
            let late = try await Self.book(api, show: show, seats: [3], token: ben, pass: benPass)
            #expect(late.status == 403 && late["type"] as? String == "/problems/queue-pass-invalid")
            #expect(try await Self.entry(api, show: show, token: ben, becomes: "expired")["pass"] is NSNull)

            // A late joiner is ranked after the pre-queue; admins pause and re-pace.
            let catJoin = try await api.call(.post, "/api/shows/\(show)/queue", token: cat)
            #expect(catJoin["rank"] as? Int == 3)
            let paused = try await api.call(
                .patch, "/api/shows/\(show)/queue", token: admin, json: #"{"state": "paused", "admitPerMinute": 30}"#)
            #expect(paused.status == 200 && paused["state"] as? String == "paused" && paused["admitPerMinute"] as? Int == 30)
            #expect(try await api.call(.patch, "/api/shows/\(show)/queue", token: admin, json: #"{"admitPerMinute": 0}"#).status == 422)
            #expect(try await api.call(.get, "/api/shows/\(show)")["queue"].flatMap { $0 as? [String: Any] }?["state"] as? String == "paused")
        }
    }

    @Test(arguments: Engine.available)
    func aSoldOutShowClosesItsQueueForEveryoneStillWaiting(engine: Engine) async throws {
        let clock = TestClock()
        try await TestApp.run(engine, clock: clock) { api async throws in
            let admin = try await api.adminToken()
            // One a minute: the second in line is still waiting when the first sells the show out.
            let show = try await Self.queuedShow(api, admin: admin, seats: 2, onSaleAt: clock.now.addingTimeInterval(30), perMinute: 1)
            let (first, _) = try await api.signup("First")
            let (second, _) = try await api.signup("Second")
            _ = try await api.call(.post, "/api/shows/\(show)/queue", token: first)
            _ = try await api.call(.post, "/api/shows/\(show)/queue", token: second)
            clock.advance(seconds: 31)
            try await Self.waitMoving(clock, by: 0) {
                (try? await api.call(.get, "/api/shows/\(show)/queue"))?["serving"] as? Int == 1
            }
            var winner = first
            var waiting = second
            if try await api.call(.get, "/api/shows/\(show)/queue/me", token: first)["state"] as? String != "admitted" {
                swap(&winner, &waiting)
            }
            let behind = try await api.call(.get, "/api/shows/\(show)/queue/me", token: waiting)
            #expect(behind["aheadOfYou"] as? Int == 0 && behind["estimatedWaitSeconds"] is [String: Any])
            let pass = try #require(try await Self.entry(api, show: show, token: winner, becomes: "admitted")["pass"] as? String)
            #expect(try await Self.book(api, show: show, seats: [1, 2], token: winner, pass: pass).status == 201)
            let closed = try await Self.entry(api, show: show, token: waiting, becomes: "closed")
            #expect(closed["pass"] is NSNull && closed["likelySoldOut"] as? Bool == true)
            let status = try await api.call(.get, "/api/shows/\(show)/queue")
            #expect(status["state"] as? String == "closed" && status["waiting"] as? Int == 0)
            #expect(try await api.call(.patch, "/api/shows/\(show)/queue", token: admin, json: #"{"state": "open"}"#).status == 409)
        }
    }

    /// Joins that arrive together are written together: 40 at once still get 40 distinct
    /// ranks with no gap, and each account one entry.
    @Test(arguments: Engine.available)
    func manyJoinsAtOnceGetDistinctRanksWithoutGaps(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let show = try await Self.queuedShow(api, admin: admin, seats: 10, onSaleAt: Date().addingTimeInterval(-5), perMinute: 1)
            var tokens: [String] = []
            for index in 0..<40 { tokens.append(try await api.signup("J\(index)").token) }
            let ranks = try await withThrowingTaskGroup(of: Int?.self) { group in
                for token in tokens + tokens.prefix(5) {
                    group.addTask { try await api.call(.post, "/api/shows/\(show)/queue", token: token)["rank"] as? Int }
                }
                var ranks: [Int] = []
                for try await rank in group { if let rank { ranks.append(rank) } }
                return ranks
            }
            #expect(ranks.count == 45)
            #expect(Set(ranks) == Set(1...40), "40 accounts, ranks 1 to 40, a repeat join finds its rank")
        }
    }

    @Test func aQueueNeedsAnOnSaleTimeAndSettingsInRange() async throws {
        try await TestApp.run { api async throws in
            let admin = try await api.adminToken()
            let noTime = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"{"name": "Q", "startTime": "2031-06-01T20:00:00Z", "totalSeats": 5, "queue": {"admitPerMinute": 10}}"#)
            #expect(noTime.status == 422 && noTime.errorFields == ["onSaleAt"])
            let outOfRange = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"""
                    {"name": "Q", "startTime": "2031-06-01T20:00:00Z", "totalSeats": 5, "onSaleAt": "\#(Self.onSale)",
                     "queue": {"admitPerMinute": 0, "passSeconds": 30}}
                    """#)
            #expect(outOfRange.status == 422 && Set(outOfRange.errorFields) == ["queue.admitPerMinute", "queue.passSeconds"])
            let badTime = #"{"name": "Q", "startTime": "2031-06-01T20:00:00Z", "totalSeats": 5, "onSaleAt": "soon"}"#
            let unreadable = try await api.call(.post, "/api/shows", token: admin, json: badTime)
            #expect(unreadable.status == 422 && unreadable.errorFields == ["onSaleAt"], "a bad time names its own member")
            let badStart = try await api.call(
                .post, "/api/shows", token: admin, json: #"{"name": "Q", "startTime": "", "totalSeats": 5}"#)
            #expect(badStart.status == 422 && badStart.errorFields == ["startTime"])
            #expect(try await api.call(.post, "/api/shows", json: badTime).status == 401, "no token: 401 before the body is judged")
            let onSaleOnly = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"{"name": "Q", "startTime": "2031-06-01T20:00:00Z", "totalSeats": 5, "onSaleAt": "\#(Self.onSale)"}"#)
            #expect(onSaleOnly.status == 201 && onSaleOnly["queue"] is NSNull && onSaleOnly["onSaleAt"] as? String == Self.onSale)
            let id = try #require(onSaleOnly["id"] as? String)
            let (token, _) = try await api.signup()
            let join = try await api.call(.post, "/api/shows/\(id)/queue", token: token)
            #expect(join.status == 409 && join["type"] as? String == "/problems/no-queue")
            #expect(try await api.call(.get, "/api/shows/\(id)/queue").status == 404)
            #expect(try await api.call(.post, "/api/shows/\(UUID().uuidString)/queue", token: token).status == 404)
            #expect(try await api.call(.post, "/api/shows/not-an-id/queue", token: token).status == 404)
        }
    }
}
