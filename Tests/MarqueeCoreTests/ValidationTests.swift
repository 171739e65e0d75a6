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

@Suite struct NewShowTests {
    @Test func nameAndSeatCountAreChecked() {
        #expect(throws: MarqueeError.self) { try NewShow(name: "", startTime: Date(), totalSeats: 10) }
        #expect(throws: MarqueeError.self) { try NewShow(name: "X", startTime: Date(), totalSeats: 0) }
        #expect(throws: MarqueeError.self) { try NewShow(name: "X", startTime: Date(), totalSeats: 100_001) }
        #expect(throws: MarqueeError.self) {
            try NewShow(name: String(repeating: "n", count: 201), startTime: Date(), totalSeats: 1)
        }
        #expect(throws: Never.self) { try NewShow(name: "X", startTime: Date(), totalSeats: 100_000) }
    }
}

@Suite struct ShowQueryTests {
    @Test func aCursorSurvivesTheRoundTrip() throws {
        let cursor = ShowCursor(startMicros: 1_924_992_000_123_456, id: Identifier.make())
        #expect(ShowCursor(encoded: cursor.encoded) == cursor)
    }

    @Test(arguments: ["", "zzz", "bm90LWEtY3Vyc29y"])
    func aForeignCursorIsAValidationError(cursor: String) {
        #expect(throws: MarqueeError.self) { try ShowQuery(limit: nil, cursor: cursor, from: nil) }
    }

    @Test func aPageNamesTheNextCursorOnlyWhenMoreRowsWereFound() {
        let rows = (0..<3).map { index in
            (show: Show(id: Identifier.make(), name: "S\(index)", startTime: Date(), totalSeats: 1, availableSeats: 1,
                        createdAt: Date()), startMicros: Int64(index))
        }
        let exact = ShowPage(rows: Array(rows.prefix(2)), limit: 2)
        #expect(exact.items.count == 2 && exact.next == nil)
        let more = ShowPage(rows: rows, limit: 2)
        #expect(more.items.map(\.id) == rows.prefix(2).map(\.show.id))
        #expect(more.next == ShowCursor(startMicros: 1, id: rows[1].show.id))
    }

    @Test func theLimitDefaultsTo50AndStaysWithin1To200() throws {
        #expect(try ShowQuery(limit: nil, cursor: nil, from: nil).limit == 50)
        #expect(throws: MarqueeError.self) { try ShowQuery(limit: 0, cursor: nil, from: nil) }
        #expect(throws: MarqueeError.self) { try ShowQuery(limit: 201, cursor: nil, from: nil) }
    }
}
