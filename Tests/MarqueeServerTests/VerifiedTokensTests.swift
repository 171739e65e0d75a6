import Foundation
import MarqueeTestSupport
import Testing

@testable import MarqueeServer

/// Tokens that passed every check are known by their exact text until they expire.
struct VerifiedTokensTests {
    @Test func aVerifiedTokenIsKnownUntilItExpiresAndThenForgotten() {
        let tokens = VerifiedTokens()
        let now = Date()
        tokens.remember("head.body.signature", subject: "u1", expires: now.addingTimeInterval(60))
        #expect(tokens.subject(of: "head.body.signature", at: now) == "u1")
        #expect(tokens.subject(of: "head.body.signaturf", at: now) == nil, "any other text is checked in full")
        #expect(tokens.subject(of: "head.body.signature", at: now.addingTimeInterval(60)) == nil)
        #expect(tokens.subject(of: "head.body.signature", at: now) == nil, "an expired token is not kept")
    }

    @Test func aFullCacheStartsAfresh() {
        let tokens = VerifiedTokens(capacity: 2)
        let later = Date().addingTimeInterval(60)
        for token in ["a", "b", "c"] { tokens.remember(token, subject: token, expires: later) }
        #expect(tokens.subject(of: "a", at: Date()) == nil)
        #expect(tokens.subject(of: "c", at: Date()) == "c")
    }
}
