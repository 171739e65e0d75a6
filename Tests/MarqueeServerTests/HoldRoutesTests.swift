import Foundation
import HTTPTypes
import MarqueeTestSupport
import Testing

@Suite struct HoldRoutesTests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test(arguments: Engine.available)
    func aHoldIsPendingUntilConfirmedAndThenCanBeCancelledOnce(engine: Engine) async throws {
        let clock = TestClock()
        try await TestApp.run(engine, clock: clock) { api async throws in
            let show = try await api.createShow()
            let (token, _) = try await api.signup()
            let held = try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[3,1],"hold":true}"#)
            #expect(held.status == 201)
            #expect(held["status"] as? String == "PENDING")
            let expiresAt = try #require(held["expiresAt"] as? String)
            let expected = Date(timeIntervalSince1970: (clock.now.timeIntervalSince1970 + 120).rounded(.down))
            #expect(expiresAt == expected.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)))
            let id = try #require(held["id"] as? String)
            #expect((try await api.call(.get, "/api/shows/\(show)"))["takenSeats"] as? [Int] == [1, 3])

            let confirmed = try await api.call(.post, "/api/bookings/\(id)/confirm", token: token)
            #expect(confirmed.status == 200)
            #expect(confirmed["status"] as? String == "CONFIRMED")
            #expect(confirmed["expiresAt"] is NSNull)
            #expect(try await api.call(.post, "/api/bookings/\(id)/confirm", token: token).status == 409)

            let cancelled = try await api.call(.post, "/api/bookings/\(id)/cancel", token: token)
            #expect(cancelled.status == 200)
            #expect(cancelled["status"] as? String == "CANCELLED")
            #expect((try await api.call(.get, "/api/shows/\(show)"))["takenSeats"] as? [Int] == [])
            #expect(try await api.call(.post, "/api/bookings/\(id)/cancel", token: token).status == 409)
            #expect(try await api.call(.post, "/api/bookings/\(id)/confirm", token: token).status == 409)
        }
    }

    @Test(arguments: Engine.available)
    func confirmingAfterExpiryIs410AndFreesTheSeats(engine: Engine) async throws {
        let clock = TestClock()
        try await TestApp.run(engine, clock: clock) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (bob, _) = try await api.signup("Bob")
            let held = try await api.call(
                .post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[5],"hold":true}"#)
            let id = try #require(held["id"] as? String)
            #expect(try await api.call(
                .post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[5]}"#).status == 409)
            clock.advance(seconds: 121)
            let late = try await api.call(.post, "/api/bookings/\(id)/confirm", token: ann)
            #expect(late.status == 410)
            #expect(late.contentType == "application/problem+json")
            let after = try await api.call(.get, "/api/bookings/\(id)", token: ann)
            #expect(after["status"] as? String == "EXPIRED")
            #expect(after["expiresAt"] is NSNull)
            #expect(try await api.call(.post, "/api/bookings/\(id)/cancel", token: ann).status == 409)
            #expect(try await api.call(
                .post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[5]}"#).status == 201)
        }
    }

    @Test(arguments: Engine.available)
    func onlyTheOwnerConfirmsAndAnAdminMayCancel(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (eve, _) = try await api.signup("Eve")
            let admin = try await api.adminToken()
            let held = try await api.call(
                .post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[9],"hold":true}"#)
            let id = try #require(held["id"] as? String)
            #expect(try await api.call(.post, "/api/bookings/\(id)/confirm").status == 401)
            #expect(try await api.call(.post, "/api/bookings/\(id)/confirm", token: eve).status == 404)
            #expect(try await api.call(.post, "/api/bookings/\(id)/cancel", token: eve).status == 404)
            #expect(try await api.call(.post, "/api/bookings/\(id)/confirm", token: admin).status == 404)
            #expect(try await api.call(.post, "/api/bookings/\(id)/cancel", token: admin).status == 200)
            #expect(try await api.call(.post, "/api/bookings/not-an-id/cancel", token: ann).status == 404)
        }
    }

    @Test(arguments: Engine.available)
    func aUserPastTheHoldCapGets429(engine: Engine) async throws {
        try await TestApp.run(engine, configure: { $0.maxActiveHolds = 2 }) { api async throws in
            let show = try await api.createShow()
            let (token, _) = try await api.signup()
            for seat in [1, 2] {
                #expect(try await api.call(
                    .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[\#(seat)],"hold":true}"#
                ).status == 201)
            }
            let capped = try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[3],"hold":true}"#)
            #expect(capped.status == 429)
            #expect(capped["status"] as? Int == 429)
            #expect(try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[3]}"#).status == 201)
        }
    }

    @Test(arguments: Engine.available)
    func aRepeatWithTheSameKeyAndBodyReplaysAndCreatesNothing(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (token, _) = try await api.signup()
            let body = #"{"showId":"\#(show)","seats":[4,5]}"#
            let first = try await api.call(.post, "/api/bookings", token: token, json: body, headers: [Self.key: "order-7"])
            let again = try await api.call(.post, "/api/bookings", token: token, json: body, headers: [Self.key: "order-7"])
            #expect(first.status == 201)
            #expect(again.status == 201)
            #expect(NSDictionary(dictionary: first.json) == NSDictionary(dictionary: again.json))
            #expect(((try await api.call(.get, "/api/bookings", token: token))["items"] as? [Any])?.count == 1)

            let other = try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[6]}"#,
                headers: [Self.key: "order-7"])
            #expect(other.status == 422)
        }
    }

    @Test(arguments: Engine.available)
    func aRefusalIsReplayedTooEvenAfterTheSeatsFreeUp(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (bob, _) = try await api.signup("Bob")
            let taken = try await api.call(.post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[1]}"#)
            let body = #"{"showId":"\#(show)","seats":[1]}"#
            let first = try await api.call(.post, "/api/bookings", token: bob, json: body, headers: [Self.key: "try-1"])
            #expect(first.status == 409)
            _ = try await api.call(.post, "/api/bookings/\(taken["id"] as? String ?? "")/cancel", token: ann)
            let again = try await api.call(.post, "/api/bookings", token: bob, json: body, headers: [Self.key: "try-1"])
            #expect(again.status == 409)
            #expect(NSDictionary(dictionary: first.json) == NSDictionary(dictionary: again.json))
            #expect(again.contentType == "application/problem+json")
        }
    }

    @Test(arguments: Engine.available)
    func keysAreScopedToTheUser(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (bob, _) = try await api.signup("Bob")
            let a = try await api.call(
                .post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[1]}"#, headers: [Self.key: "same"])
            let b = try await api.call(
                .post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[2]}"#, headers: [Self.key: "same"])
            #expect(a.status == 201 && b.status == 201)
            #expect(a["id"] as? String != b["id"] as? String)
        }
    }

    @Test(arguments: Engine.available, ["", String(repeating: "k", count: 256)])
    func malformedKeysAre400(engine: Engine, key: String) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (token, _) = try await api.signup()
            let answer = try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[1]}"#, headers: [Self.key: key])
            #expect(answer.status == 400)
            #expect(answer.contentType == "application/problem+json")
        }
    }

    @Test(arguments: Engine.available)
    func tenConcurrentRequestsWithOneKeyMakeOneBooking(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (token, _) = try await api.signup()
            let body = #"{"showId":"\#(show)","seats":[8,9]}"#
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await api.call(.post, "/api/bookings", token: token, json: body, headers: [Self.key: "burst"])
                    }
                }
                return try await group.reduce(into: [Answer]()) { $0.append($1) }
            }
            let created = answers.filter { $0.status == 201 }
            #expect(!created.isEmpty)
            #expect(Set(created.compactMap { $0["id"] as? String }).count == 1)
            #expect(answers.allSatisfy { $0.status == 201 || $0.status == 409 })
            #expect(((try await api.call(.get, "/api/bookings", token: token))["items"] as? [Any])?.count == 1)
        }
    }
}
