import Foundation
import MarqueeTestSupport
import Testing

/// API.md's "Failure behaviour and hardening (v2)" for what a request holds: a NUL in any
/// text member is a 422 on that field, never text stored cut short, and answers that carry a
/// token are never cached.
@Suite struct HardeningRoutesTests {
    @Test(arguments: Engine.available)
    func aNulInASignupMemberIsRefusedOnThatFieldAndNothingIsStored(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            for (field, body) in [
                ("password", #"{"name":"Ann","email":"ann@example.com","password":"pass\u0000word-1"}"#),
                ("name", #"{"name":"A\u0000nn","email":"ann@example.com","password":"password-1"}"#),
                ("email", #"{"name":"Ann","email":"a\u0000b@example.com","password":"password-1"}"#),
            ] {
                let answer = try await api.call(.post, "/api/auth/signup", json: body)
                #expect(answer.status == 422, "\(field)")
                #expect(answer.errorFields == [field])
            }
            // None of them made the account: the address is still free.
            let clean = #"{"name":"Ann","email":"ann@example.com","password":"password-1"}"#
            #expect(try await api.call(.post, "/api/auth/signup", json: clean).status == 201)
        }
    }

    @Test(arguments: Engine.available)
    func aPasswordIsNeverCutAtANul(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let body = #"{"name":"Ann","email":"ann@example.com","password":"password-1"}"#
            #expect(try await api.call(.post, "/api/auth/signup", json: body).status == 201)
            // bcrypt reads a C string: "password-1\0anything" would match "password-1".
            let login = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"ann@example.com","password":"password-1\u0000anything"}"#)
            #expect(login.status == 422)
            #expect(login.errorFields == ["password"])
            let mail = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"ann@example.com\u0000","password":"password-1"}"#)
            #expect(mail.status == 422)
            #expect(mail.errorFields == ["email"])
        }
    }

    @Test(arguments: Engine.available)
    func aNulInAShowOrWebhookMemberIsRefusedOnThatField(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let show = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"{"name":"Ham\u0000let","startTime":"2031-01-01T20:00:00Z","totalSeats":10}"#)
            #expect(show.status == 422)
            #expect(show.errorFields == ["name"])
            let hook = try await api.call(
                .post, "/api/webhooks", token: admin,
                json: #"{"url":"http://127.0.0.1:9/x","secret":"a-webhook-secret\u0000-1234","eventTypes":["show.created"]}"#)
            #expect(hook.status == 422)
            #expect(hook.errorFields == ["secret"])
            let listed = try await api.call(.get, "/api/shows")
            #expect((listed["items"] as? [Any])?.isEmpty == true, "the refused show was not stored")
        }
    }

    @Test(arguments: Engine.available)
    func answersThatCarryATokenAreNeverCached(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let signup = try await api.call(
                .post, "/api/auth/signup", json: #"{"name":"Ann","email":"ann@example.com","password":"password-1"}"#)
            #expect(signup.status == 201)
            #expect(signup.headers[.cacheControl] == "no-store")
            let login = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"ann@example.com","password":"password-1"}"#)
            #expect(login.status == 200)
            #expect(login.headers[.cacheControl] == "no-store")
            let refused = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"ann@example.com","password":"wrong-password"}"#)
            #expect(refused.headers[.cacheControl] == "no-store")
            // A public read is still cacheable.
            #expect(try await api.call(.get, "/api/shows").headers[.cacheControl]?.contains("no-store") != true)
        }
    }

    @Test(arguments: Engine.available)
    func aServedPathAskedWithAnotherMethodIs405WithAllow(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let trace = try await api.call(.trace, "/metrics")
            #expect(trace.status == 405)
            #expect(trace.headers[.allow] == "GET")
            #expect(trace["type"] as? String == "/problems/method-not-allowed")
            let delete = try await api.call(.delete, "/api/shows/\(UUID().uuidString)")
            #expect(delete.status == 405)
            #expect(delete.headers[.allow] == "GET")
            #expect(try await api.call(.put, "/api/bookings").headers[.allow] == "GET, POST")
            // A path that is served with the method asked keeps its own answer.
            #expect(try await api.call(.get, "/api/shows/\(UUID().uuidString)").status == 404)
            #expect(try await api.call(.put, "/api/no-such-thing").status == 404)
        }
    }
}
