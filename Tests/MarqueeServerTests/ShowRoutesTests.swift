import Foundation
import Logging
import MarqueeServer
import MarqueeTestSupport
import Testing

@Suite struct ShowRoutesTests {
    @Test(arguments: Engine.available)
    func onlyAdminsCreateShows(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let body = #"{"name":"Hamlet","startTime":"2031-01-01T20:00:00Z","totalSeats":100}"#
            #expect(try await api.call(.post, "/api/shows", json: body).status == 401)
            let (customer, _) = try await api.signup()
            #expect(try await api.call(.post, "/api/shows", token: customer, json: body).status == 403)
            let created = try await api.call(.post, "/api/shows", token: try await api.adminToken(), json: body)
            #expect(created.status == 201)
            #expect(created["startTime"] as? String == "2031-01-01T20:00:00Z")
            #expect(created["availableSeats"] as? Int == 100)
            #expect(created["totalSeats"] as? Int == 100)
        }
    }

    @Test(arguments: Engine.available)
    func invalidShowsNameEachBadField(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let invalid = try await api.call(
                .post, "/api/shows", token: admin, json: #"{"name":"","startTime":"2031-01-01T20:00:00Z","totalSeats":0}"#)
            #expect(invalid.status == 422)
            #expect(invalid.errorFields == ["name", "totalSeats"])
            let badTime = try await api.call(
                .post, "/api/shows", token: admin, json: #"{"name":"X","startTime":"tomorrow","totalSeats":5}"#)
            #expect(badTime.status == 422)
            #expect(badTime.errorFields == ["startTime"])
        }
    }

    @Test(arguments: Engine.available)
    func showsArePagedWithACursorAndFilteredByStart(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            for hour in [22, 20, 21] {
                _ = try await api.call(
                    .post, "/api/shows", token: admin,
                    json: #"{"name":"At \#(hour)","startTime":"2031-01-01T\#(hour):00:00+00:00","totalSeats":5}"#)
            }
            let first = try await api.call(.get, "/api/shows?limit=2")
            #expect(first.status == 200)
            #expect((first["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["At 20", "At 21"])
            let cursor = try #require(first["nextCursor"] as? String)
            let second = try await api.call(.get, "/api/shows?limit=2&cursor=\(cursor)")
            #expect((second["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["At 22"])
            #expect(second.json.keys.contains("nextCursor") && second["nextCursor"] is NSNull)
            let from = try await api.call(.get, "/api/shows?from=2031-01-01T21:00:00Z")
            #expect((from["items"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test(arguments: Engine.available)
    func badQueriesAre422(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            for query in ["limit=0", "limit=201", "limit=abc", "cursor=nonsense", "from=yesterday"] {
                let answer = try await api.call(.get, "/api/shows?\(query)")
                #expect(answer.status == 422, "\(query)")
                #expect(answer.contentType == "application/problem+json")
            }
        }
    }

    @Test(arguments: Engine.available)
    func aShowShowsItsTakenSeatsAndAnUnknownShowIs404(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let show = try await api.createShow(seats: 10)
            let (token, _) = try await api.signup()
            _ = try await api.call(.post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[7,3]}"#)
            let detail = try await api.call(.get, "/api/shows/\(show)")
            #expect(detail["takenSeats"] as? [Int] == [3, 7])
            #expect(detail["availableSeats"] as? Int == 8)
            #expect(try await api.call(.get, "/api/shows/\(UUID().uuidString.lowercased())").status == 404)
            #expect(try await api.call(.get, "/api/shows/not-an-id").status == 404)
        }
    }
}
