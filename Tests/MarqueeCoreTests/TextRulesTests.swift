import MarqueeCore
import Testing

/// NUL characters in text members, refused wherever text is taken in.
@Suite struct TextRulesTests {
    @Test func eachMemberHoldingANulIsNamedAndNoOther() {
        let errors = TextRules.nulErrors(["name": "A\u{0}nn", "email": "ann@example.com", "password": "x\u{0}"])
        #expect(errors.map(\.field) == ["name", "password"])
        #expect(TextRules.nulErrors(["name": "Ann"]).isEmpty)
    }

    @Test func aNulIsRefusedInSignupsLoginsShowsAndWebhooks() throws {
        #expect(throws: MarqueeError.validation([FieldError(field: "password", message: TextRules.nulMessage)])) {
            try SignupRules.validate(name: "Ann", email: "ann@example.com", password: "password\u{0}1")
        }
        #expect(throws: MarqueeError.validation([FieldError(field: "email", message: TextRules.nulMessage)])) {
            try LoginRules.validate(email: "a\u{0}@example.com", password: "password-1")
        }
        #expect(throws: MarqueeError.self) { try NewShow(name: "Ham\u{0}let", startTime: .now, totalSeats: 10) }
        #expect(throws: MarqueeError.self) {
            try NewWebhook(url: "http://x.example/h", secret: "0123456789abcdef", eventTypes: ["show.created\u{0}"])
        }
        _ = try SignupRules.validate(name: "Ann", email: "ann@example.com", password: "password-1")
        try LoginRules.validate(email: "ann@example.com", password: "password-1")
    }
}
