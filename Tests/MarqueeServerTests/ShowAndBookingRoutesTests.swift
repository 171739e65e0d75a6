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

@Suite struct ConventionsTests {
    @Test(arguments: Engine.available)
    func malformedJsonIs400(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let answer = try await api.call(.post, "/api/auth/signup", json: #"{"name": "#)
            #expect(answer.status == 400)
            #expect(answer.contentType == "application/problem+json")
            #expect(answer["status"] as? Int == 400)
        }
    }

    @Test(arguments: Engine.available)
    func aBodyThatIsNotJsonIs415(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let answer = try await api.call(
                .post, "/api/auth/signup", json: "name=a", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(answer.status == 415)
            #expect(answer.contentType == "application/problem+json")
        }
    }

    @Test(arguments: Engine.available)
    func aBodyOverTheLimitIs413(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let name = String(repeating: "a", count: 70 * 1024)
            let answer = try await api.call(
                .post, "/api/auth/signup", json: #"{"name":"\#(name)","email":"a@b.co","password":"password1"}"#)
            #expect(answer.status == 413)
            #expect(answer["status"] as? Int == 413)
        }
    }

    @Test(arguments: Engine.available)
    func aSafeRequestIdIsEchoedAndAnUnsafeOneReplaced(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let echoed = try await api.call(.get, "/health/live", headers: [.init("X-Request-ID")!: "abc-123.X_y"])
            #expect(echoed.headers[.init("X-Request-ID")!] == "abc-123.X_y")
            let replaced = try await api.call(.get, "/api/shows/x", headers: [.init("X-Request-ID")!: "bad id<script>"])
            let id = try #require(replaced.headers[.init("X-Request-ID")!])
            #expect(id != "bad id<script>" && !id.isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func unknownRoutesAreProblemDetails404(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let answer = try await api.call(.get, "/api/nothing-here")
            #expect(answer.status == 404)
            #expect(answer.contentType == "application/problem+json")
        }
    }

    @Test(arguments: Engine.available)
    func healthEndpointsAnswer(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            #expect(try await api.call(.get, "/health/live").status == 200)
            #expect(try await api.call(.get, "/health/ready").status == 200)
        }
    }
}

@Suite struct StartupTests {
    @Test func postgresWithoutASigningKeyRefusesToStartAndSaysWhatToSet() async throws {
        var configuration = AppConfiguration()
        configuration.databaseURL = "postgres://marquee@127.0.0.1:1/none"
        configuration.signingKeys = []
        do {
            _ = try await buildApplication(configuration: configuration, logger: Logger(label: "test"))
            Issue.record("the server started without a signing key")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("MARQUEE_JWT_KEYS"))
        }
    }

    @Test func theEmbeddedServerMakesItsKeyOnceAndKeepsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.sqlite").path
        let first = try SigningKey.embedded(besideDatabaseAt: path)
        let second = try SigningKey.embedded(besideDatabaseAt: path)
        #expect(first == second)
        #expect(first.secret.count >= SigningKey.minimumSecretBytes)
        let mode = try FileManager.default.attributesOfItem(atPath: path + ".jwt-key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
