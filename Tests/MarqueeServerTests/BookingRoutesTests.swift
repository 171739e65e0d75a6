import Foundation
import Logging
import MarqueeServer
import MarqueeTestSupport
import Testing

@Suite struct BookingRoutesTests {
    @Test(arguments: Engine.available)
    func aBookingIsConfirmedAtOnce(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (token, userId) = try await api.signup("Bo")
            let answer = try await api.call(
                .post, "/api/bookings", token: token,
                json: #"{"showId":"\#(show)","seats":[4,2],"userId":"forged","userName":"Forged","status":"PENDING"}"#)
            #expect(answer.status == 201)
            #expect(answer["status"] as? String == "CONFIRMED")
            #expect(answer["seats"] as? [Int] == [2, 4])
            #expect(answer["userId"] as? String == userId)
            #expect(answer["userName"] as? String == "Bo")
            #expect(answer.json.keys.contains("expiresAt") && answer["expiresAt"] is NSNull)
        }
    }

    @Test(arguments: Engine.available)
    func takenSeatsAre409NamingThem(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (bob, _) = try await api.signup("Bob")
            _ = try await api.call(.post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[1,2]}"#)
            let conflict = try await api.call(
                .post, "/api/bookings", token: bob, json: #"{"showId":"\#(show)","seats":[2,3,1]}"#)
            #expect(conflict.status == 409)
            #expect(conflict["conflictingSeats"] as? [Int] == [1, 2])
            #expect(conflict.contentType == "application/problem+json")
        }
    }

    @Test(arguments: Engine.available, [
        #"[]"#, #"[1,1]"#, #"[0]"#, #"[21]"#, #"[1,2,3,4,5]"#, #"["one"]"#, #"null"#,
    ])
    func invalidSeatsAre422(engine: Engine, seats: String) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow(seats: 20)
            let (token, _) = try await api.signup()
            let answer = try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":\#(seats)}"#)
            #expect(answer.status == 422)
            #expect(answer.errorFields.first?.hasPrefix("seats") == true)
        }
    }

    @Test(arguments: Engine.available)
    func bookingsNeedATokenAndAnExistingShow(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            #expect(try await api.call(.post, "/api/bookings", json: #"{"showId":"\#(show)","seats":[1]}"#).status == 401)
            let (token, _) = try await api.signup()
            let ghost = UUID().uuidString.lowercased()
            #expect(try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"\#(ghost)","seats":[1]}"#).status == 404)
            #expect(try await api.call(
                .post, "/api/bookings", token: token, json: #"{"showId":"nope","seats":[1]}"#).status == 404)
            #expect(try await api.call(.get, "/api/bookings").status == 401)
        }
    }

    @Test(arguments: Engine.available)
    func aUserSeesOwnBookingsNewestFirstAndNobodyElses(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow()
            let (ann, _) = try await api.signup("Ann")
            let (bob, _) = try await api.signup("Bob")
            let first = try await api.call(.post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[1]}"#)
            try await Task.sleep(for: .milliseconds(5))
            let second = try await api.call(.post, "/api/bookings", token: ann, json: #"{"showId":"\#(show)","seats":[2]}"#)
            let list = try await api.call(.get, "/api/bookings", token: ann)
            #expect((list["items"] as? [[String: Any]])?.map { $0["id"] as? String }
                    == [second["id"] as? String, first["id"] as? String])
            #expect(((try await api.call(.get, "/api/bookings", token: bob))["items"] as? [Any])?.isEmpty == true)

            let id = try #require(first["id"] as? String)
            #expect(try await api.call(.get, "/api/bookings/\(id)", token: ann).status == 200)
            let foreign = try await api.call(.get, "/api/bookings/\(id)", token: bob)
            let missing = try await api.call(.get, "/api/bookings/\(UUID().uuidString.lowercased())", token: bob)
            #expect(foreign.status == 404)
            #expect(NSDictionary(dictionary: foreign.json) == NSDictionary(dictionary: missing.json))
            #expect(try await api.call(.get, "/api/bookings/\(id)", token: try await api.adminToken()).status == 200)
        }
    }
}
