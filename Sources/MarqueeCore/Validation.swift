import Foundation

/// Text members never hold a NUL character (U+0000): SQLite's C strings and bcrypt would cut
/// the text short there, and PostgreSQL refuses it. Each such member is a 422 on its field,
/// as API.md says, so nothing is ever stored cut short.
public enum TextRules {
    public static let nulMessage = "Remove the NUL character (U+0000); text may not hold one."

    /// One error for each named member that holds a NUL.
    public static func nulErrors(_ members: KeyValuePairs<String, String>) -> [FieldError] {
        members.filter { $0.value.unicodeScalars.contains("\u{0}") }.map { FieldError(field: $0.key, message: nulMessage) }
    }
}

/// What a login may hold before the store is asked: no NUL in either member.
public enum LoginRules {
    public static func validate(email: String, password: String) throws(MarqueeError) {
        let errors = TextRules.nulErrors(["email": email, "password": password])
        guard errors.isEmpty else { throw .validation(errors) }
    }
}

/// The rules for a new account: API.md's name, email and password limits.
public struct SignupRules: Sendable {
    public static let nameLength = 1...100
    public static let passwordBytes = 8...72

    /// Returns the name trimmed and the email as given, or throws every broken rule at once.
    public static func validate(name: String, email: String, password: String) throws(MarqueeError) -> (
        name: String, email: String
    ) {
        var errors = TextRules.nulErrors(["name": name, "email": email, "password": password])
        let refused = Set(errors.map(\.field))
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !refused.contains("name"), !nameLength.contains(trimmedName.count) {
            errors.append(FieldError(field: "name", message: "Name must be 1 to 100 characters."))
        }
        let trimmedEmail = email.trimmingCharacters(in: .whitespacesAndNewlines)
        if !refused.contains("email"), !EmailAddress.isValid(trimmedEmail) {
            errors.append(FieldError(field: "email", message: "Enter a valid email address."))
        }
        // Bytes, not characters: bcrypt reads at most 72 bytes, and a longer password is
        // refused rather than silently truncated.
        if !refused.contains("password"), !passwordBytes.contains(password.utf8.count) {
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
    public var venueId: String?
    /// When booking opens; nil: at once.
    public var onSaleAt: Date?
    /// The show's waiting room; it needs an `onSaleAt`.
    public var queue: QueueSettings?

    /// A show of `totalSeats` numbered seats, or one on a venue, whose plan says how many seats
    /// there are: `venue` is the venue `venueId` names with its seat count, nil when none does.
    public init(
        name: String, startTime: Date, totalSeats: Int?, venueId: String? = nil, venue: (id: String, totalSeats: Int)? = nil,
        onSaleAt: Date? = nil, queue: (admitPerMinute: Int, passSeconds: Int?)? = nil
    ) throws(MarqueeError) {
        var errors = TextRules.nulErrors(["name": name])
        var settings: QueueSettings?
        if let queue {
            if onSaleAt == nil {
                errors.append(FieldError(field: "onSaleAt", message: "A show with a queue needs an onSaleAt."))
            }
            do { settings = try QueueSettings(admitPerMinute: queue.admitPerMinute, passSeconds: queue.passSeconds) } catch {
                if case .validation(let queueErrors) = error { errors += queueErrors }
            }
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if errors.isEmpty, !Self.nameLength.contains(trimmed.count) {
            errors.append(FieldError(field: "name", message: "Name must be 1 to 200 characters."))
        }
        var seats = totalSeats ?? 0
        if venueId != nil {
            if let venue {
                if let totalSeats, totalSeats != venue.totalSeats {
                    errors.append(FieldError(
                        field: "totalSeats", message: "The venue has \(venue.totalSeats) seats; leave totalSeats out or give that."))
                }
                seats = venue.totalSeats
            } else {
                errors.append(FieldError(field: "venueId", message: "No venue has this id."))
            }
        } else if totalSeats == nil {
            errors.append(FieldError(field: "totalSeats", message: "A show without a venue needs totalSeats."))
        } else if !Self.seatRange.contains(seats) {
            errors.append(FieldError(field: "totalSeats", message: "A show has 1 to 100000 seats."))
        }
        guard errors.isEmpty else { throw .validation(errors) }
        self.name = trimmed
        self.startTime = startTime
        self.totalSeats = seats
        self.venueId = venue?.id
        self.onSaleAt = onSaleAt
        self.queue = settings
    }
}
