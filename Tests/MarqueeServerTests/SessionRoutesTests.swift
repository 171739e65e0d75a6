import Foundation
import MarqueeTestSupport
import Testing

/// API.md's "Sessions (v2)": logout ends one token, logout-all every token the account was
/// issued until then, and both at once on the instance that answered.
@Suite struct SessionRoutesTests {
    private static let ann = #"{"email":"ann@example.com","password":"password-1"}"#

    private func signUpAnn(_ api: API) async throws -> String {
        let answer = try await api.call(
            .post, "/api/auth/signup", json: #"{"name":"Ann","email":"ann@example.com","password":"password-1"}"#)
        return try #require(answer["token"] as? String)
    }

    @Test(arguments: Engine.available)
    func logoutEndsThatTokenAndNoOther(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let first = try await signUpAnn(api)
            let second = try #require(try await api.call(.post, "/api/auth/login", json: Self.ann)["token"] as? String)
            #expect(first != second, "two logins are two sessions")

            let out = try await api.call(.post, "/api/auth/logout", token: first)
            #expect(out.status == 204)
            let refused = try await api.call(.get, "/api/auth/me", token: first)
            #expect(refused.status == 401)
            #expect(refused.contentType == "application/problem+json")
            #expect(try await api.call(.post, "/api/auth/logout", token: first).status == 401)
            #expect(try await api.call(.get, "/api/bookings", token: first).status == 401)
            #expect(try await api.call(.get, "/api/auth/me", token: second).status == 200)
            #expect(try await api.call(.post, "/api/auth/logout").status == 401, "no token, nothing to end")
        }
    }

    @Test(arguments: Engine.available)
    func logoutAllEndsEveryTokenOfTheAccountButNotLaterOnes(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let first = try await signUpAnn(api)
            let second = try #require(try await api.call(.post, "/api/auth/login", json: Self.ann)["token"] as? String)
            let (bob, _) = try await api.signup("Bob")

            #expect(try await api.call(.post, "/api/auth/logout-all", token: second).status == 204)
            #expect(try await api.call(.get, "/api/auth/me", token: first).status == 401)
            #expect(try await api.call(.get, "/api/auth/me", token: second).status == 401)
            #expect(try await api.call(.get, "/api/auth/me", token: bob).status == 200, "another account is untouched")

            // A login in the same second as the logout-all is a new session, and good.
            let login = try await api.call(.post, "/api/auth/login", json: Self.ann)
            let fresh = try #require(login["token"] as? String)
            #expect(try await api.call(.get, "/api/auth/me", token: fresh).status == 200)
            #expect(try await api.call(.post, "/api/auth/logout-all", token: first).status == 401)
        }
    }
}
