import Foundation
import JWTKit
import MarqueeTestSupport
import Testing

@Suite struct AuthRoutesTests {
    @Test(arguments: Engine.available)
    func signupCreatesACustomerWhateverTheBodyClaims(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let answer = try await api.call(
                .post, "/api/auth/signup",
                json: #"{"name":"Ann","email":"Ann@Example.com","password":"password1","role":"admin","id":"x"}"#)
            #expect(answer.status == 201)
            let user = try #require(answer["user"] as? [String: Any])
            #expect(user["role"] as? String == "customer")
            #expect(user["email"] as? String == "Ann@Example.com")
            #expect(user["id"] as? String != "x")
            #expect((user["createdAt"] as? String)?.hasSuffix("Z") == true)
            let me = try await api.call(.get, "/api/auth/me", token: answer["token"] as? String)
            #expect(me.status == 200)
            #expect(me["id"] as? String == user["id"] as? String)
        }
    }

    @Test(arguments: Engine.available)
    func anEmailCanSignUpOnceWhateverItsCase(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let body = #"{"name":"Ann","email":"ann@example.com","password":"password1"}"#
            #expect(try await api.call(.post, "/api/auth/signup", json: body).status == 201)
            let again = try await api.call(
                .post, "/api/auth/signup", json: #"{"name":"Ann","email":"ANN@example.com","password":"password1"}"#)
            #expect(again.status == 409)
            #expect(again.contentType == "application/problem+json")
            #expect(again["status"] as? Int == 409)
        }
    }

    @Test(arguments: Engine.available)
    func invalidSignupsNameEachBadField(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let long = String(repeating: "p", count: 73)
            let answer = try await api.call(
                .post, "/api/auth/signup", json: #"{"name":"","email":"nope","password":"\#(long)"}"#)
            #expect(answer.status == 422)
            #expect(answer.errorFields == ["name", "email", "password"])
            let missing = try await api.call(.post, "/api/auth/signup", json: #"{"name":"A","email":"a@b.co"}"#)
            #expect(missing.status == 422)
            #expect(missing.errorFields == ["password"])
        }
    }

    @Test(arguments: Engine.available)
    func loginAnswersAlikeForAnUnknownEmailAndAWrongPassword(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let good = try await api.call(
                .post, "/api/auth/login",
                json: #"{"email":"ADMIN@example.com","password":"\#(TestApp.adminPassword)"}"#)
            #expect(good.status == 200)
            let wrong = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"admin@example.com","password":"wrong-password"}"#)
            let unknown = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"ghost@example.com","password":"wrong-password"}"#)
            #expect(wrong.status == 401)
            #expect(unknown.status == 401)
            #expect(NSDictionary(dictionary: wrong.json) == NSDictionary(dictionary: unknown.json))
        }
    }

    @Test(arguments: Engine.available)
    func repeatedFailedLoginsAreThrottledButSuccessesAreNot(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            // Successes never count toward the limit.
            for _ in 0..<5 {
                #expect(try await api.call(
                    .post, "/api/auth/login",
                    json: #"{"email":"admin@example.com","password":"\#(TestApp.adminPassword)"}"#).status == 200)
            }
            for _ in 0..<3 {
                #expect(try await api.call(
                    .post, "/api/auth/login", json: #"{"email":"admin@example.com","password":"bad-password"}"#
                ).status == 401)
            }
            let throttled = try await api.call(
                .post, "/api/auth/login", json: #"{"email":"admin@example.com","password":"bad-password"}"#)
            #expect(throttled.status == 429)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test(arguments: Engine.available)
    func meNeedsAToken(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let answer = try await api.call(.get, "/api/auth/me")
            #expect(answer.status == 401)
            #expect(answer.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await api.call(.get, "/api/auth/me", token: "not.a.token").status == 401)
            #expect(try await api.call(
                .get, "/api/auth/me", headers: [.authorization: "Basic YWRtaW46YWRtaW4="]).status == 401)
        }
    }

    @Test(arguments: Engine.available)
    func aTamperedTokenIsRefused(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let (token, _) = try await api.signup()
            var parts = token.split(separator: ".").map(String.init)
            // Another subject, keeping the original signature.
            parts[1] = Self.base64URL(#"{"sub":"someone-else","iss":"marquee","aud":"marquee","exp":4102444800,"iat":0}"#)
            #expect(try await api.call(.get, "/api/auth/me", token: parts.joined(separator: ".")).status == 401)
        }
    }

    @Test(arguments: Engine.available)
    func anUnsignedTokenIsRefused(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let (token, id) = try await api.signup()
            let header = Self.base64URL(#"{"alg":"none","typ":"JWT","kid":"current"}"#)
            let payload = Self.base64URL(#"{"sub":"\#(id)","iss":"marquee","aud":"marquee","exp":4102444800,"iat":0}"#)
            #expect(try await api.call(.get, "/api/auth/me", token: "\(header).\(payload).").status == 401)
            #expect(try await api.call(.get, "/api/auth/me", token: token).status == 200)
        }
    }

    @Test(arguments: Engine.available)
    func expiredWrongAudienceWrongIssuerAndUnknownKidTokensAreRefused(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let (_, id) = try await api.signup()
            let future = Date().addingTimeInterval(3600)
            #expect(try await api.call(.get, "/api/auth/me", token: try await Self.sign(sub: id, exp: future)).status == 200)
            let refused = [
                try await Self.sign(sub: id, exp: Date().addingTimeInterval(-60)),
                try await Self.sign(sub: id, exp: future, aud: "someone-else"),
                try await Self.sign(sub: id, exp: future, iss: "someone-else"),
                try await Self.sign(sub: id, exp: future, kid: "unknown"),
                try await Self.sign(sub: id, exp: future, secret: "a-different-secret-of-at-least-32-bytes"),
            ]
            for token in refused {
                #expect(try await api.call(.get, "/api/auth/me", token: token).status == 401)
            }
        }
    }

    @Test(arguments: Engine.available)
    func tokensSignedWithAnOlderConfiguredKeyStillVerify(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let (_, id) = try await api.signup()
            let token = try await Self.sign(
                sub: id, exp: Date().addingTimeInterval(600), kid: "previous",
                secret: "an-older-secret-still-trusted-for-verify")
            #expect(try await api.call(.get, "/api/auth/me", token: token).status == 200)
        }
    }

    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func sign(
        sub: String, exp: Date, iss: String = "marquee", aud: String = "marquee", kid: String = "current",
        secret: String = TestApp.secret
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(
            Claims(sub: .init(value: sub), iss: .init(value: iss), aud: .init(value: aud), exp: .init(value: exp)),
            kid: JWKIdentifier(string: kid))
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
