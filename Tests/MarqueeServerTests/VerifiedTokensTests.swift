import Foundation
import MarqueeTestSupport
import Testing

@testable import MarqueeServer

/// Tokens that passed every check are known by their exact text until they expire.
struct VerifiedTokensTests {
    private func verified(_ subject: String, expires: Date) -> VerifiedToken {
        VerifiedToken(subject: subject, sessionEpoch: 0, expires: expires, digest: VerifiedToken.digest(of: subject))
    }

    @Test func aVerifiedTokenIsKnownUntilItExpiresAndThenForgotten() {
        let tokens = VerifiedTokens()
        let now = Date()
        tokens.remember("head.body.signature", verified("u1", expires: now.addingTimeInterval(60)))
        #expect(tokens.token("head.body.signature", at: now)?.subject == "u1")
        #expect(tokens.token("head.body.signaturf", at: now) == nil, "any other text is checked in full")
        #expect(tokens.token("head.body.signature", at: now.addingTimeInterval(60)) == nil)
        #expect(tokens.token("head.body.signature", at: now) == nil, "an expired token is not kept")
    }

    @Test func aFullCacheStartsAfresh() {
        let tokens = VerifiedTokens(capacity: 2)
        let later = Date().addingTimeInterval(60)
        for token in ["a", "b", "c"] { tokens.remember(token, verified(token, expires: later)) }
        #expect(tokens.token("a", at: Date()) == nil)
        #expect(tokens.token("c", at: Date())?.subject == "c")
    }
}
