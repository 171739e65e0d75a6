import Foundation

/// The rules for a new account: API.md's name, email and password limits.
public struct SignupRules: Sendable {
    public static let nameLength = 1...100
    public static let passwordBytes = 8...72

    /// Returns the name trimmed and the email as given, or throws every broken rule at once.
    public static func validate(name: String, email: String, password: String) throws(MarqueeError) -> (
        name: String, email: String
    ) {
        var errors: [FieldError] = []
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !nameLength.contains(trimmedName.count) {
            errors.append(FieldError(field: "name", message: "Name must be 1 to 100 characters."))
        }
        let trimmedEmail = email.trimmingCharacters(in: .whitespacesAndNewlines)
        if !EmailAddress.isValid(trimmedEmail) {
            errors.append(FieldError(field: "email", message: "Enter a valid email address."))
        }
        // Bytes, not characters: bcrypt reads at most 72 bytes, and a longer password is
        // refused rather than silently truncated.
        if !passwordBytes.contains(password.utf8.count) {
            errors.append(FieldError(field: "password", message: "Password must be 8 to 72 bytes long."))
        }
        guard errors.isEmpty else { throw .validation(errors) }
        return (trimmedName, trimmedEmail)
    }
}

/// Email syntax as far as a server can usefully check it, and the form emails compare in.
public enum EmailAddress {
    /// A plausible address: one `@`, a local part, a dotted domain, no spaces, at most 254 bytes.
    public static func isValid(_ email: String) -> Bool {
        guard email.utf8.count <= 254, !email.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            return false
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }

    /// The key emails compare by: case-insensitive, as API.md says.
    public static func key(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// A show an admin asks to create, once its fields pass API.md's rules.
public struct NewShow: Sendable, Equatable {
    public static let nameLength = 1...200
    public static let seatRange = 1...100_000

    public var name: String
    public var startTime: Date
    public var totalSeats: Int

    public init(name: String, startTime: Date, totalSeats: Int) throws(MarqueeError) {
        var errors: [FieldError] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !Self.nameLength.contains(trimmed.count) {
            errors.append(FieldError(field: "name", message: "Name must be 1 to 200 characters."))
        }
        if !Self.seatRange.contains(totalSeats) {
            errors.append(FieldError(field: "totalSeats", message: "A show has 1 to 100000 seats."))
        }
        guard errors.isEmpty else { throw .validation(errors) }
        self.name = trimmed
        self.startTime = startTime
        self.totalSeats = totalSeats
    }
}
