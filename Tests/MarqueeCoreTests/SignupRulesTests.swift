import Foundation
import MarqueeCore
import Testing

@Suite struct SignupRulesTests {
    @Test func aValidSignupIsTrimmed() throws {
        let result = try SignupRules.validate(name: "  Ann Lee ", email: " ann@example.com ", password: "password1")
        #expect(result.name == "Ann Lee")
        #expect(result.email == "ann@example.com")
    }

    @Test func everyBrokenRuleIsReportedAtOnce() {
        do {
            _ = try SignupRules.validate(name: " ", email: "not-an-email", password: "short")
            Issue.record("an invalid signup passed")
        } catch {
            guard case .validation(let errors) = error else { Issue.record("wrong error"); return }
            #expect(errors.map(\.field) == ["name", "email", "password"])
        }
    }

    @Test func passwordsAreMeasuredInBytesNotCharacters() throws {
        // 24 three-byte characters are 72 bytes: allowed. One more byte is refused, not truncated.
        let seventyTwo = String(repeating: "€", count: 24)
        #expect(throws: Never.self) { try SignupRules.validate(name: "A", email: "a@b.co", password: seventyTwo) }
        #expect(throws: MarqueeError.self) {
            try SignupRules.validate(name: "A", email: "a@b.co", password: seventyTwo + "x")
        }
    }

    @Test(arguments: ["a@b.co", "first.last+tag@sub.example.org"])
    func plausibleEmailsPass(email: String) { #expect(EmailAddress.isValid(email)) }

    @Test(arguments: ["", "plain", "@example.com", "a@", "a@b", "a b@c.de", "a@@b.co", "a@.co", "a@b..co"])
    func implausibleEmailsFail(email: String) { #expect(!EmailAddress.isValid(email)) }

    @Test func emailsCompareCaseInsensitively() {
        #expect(EmailAddress.key("Ann@Example.COM") == EmailAddress.key("ann@example.com"))
    }
}
