import Foundation
import Logging
import MarqueeServer
import MarqueeTestSupport
import Testing

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
