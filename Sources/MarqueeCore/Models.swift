import Foundation

/// What a user may do: customers book, admins also create shows and see every booking.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    case customer
    case admin
}

/// A person with an account.
public struct User: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String
    public var role: UserRole
    public var createdAt: Date

    public init(id: String, name: String, email: String, role: UserRole, createdAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.createdAt = createdAt
    }
}

/// A show as listed: its fixed facts and how many seats are still free.
public struct Show: Sendable, Equatable {
    public var id: String
    public var name: String
    public var startTime: Date
    public var totalSeats: Int
    /// Seats neither taken nor blocked.
    public var availableSeats: Int
    public var createdAt: Date
    /// The venue whose seating plan the show uses; nil for numbered seats only. Never changes.
    public var venueId: String?
    /// When booking opens; nil: on sale from the start. Never changes.
    public var onSaleAt: Date?
    /// The show's waiting room, if it has one.
    public var queue: ShowQueue?

    public init(
        id: String, name: String, startTime: Date, totalSeats: Int, availableSeats: Int, createdAt: Date,
        venueId: String? = nil, onSaleAt: Date? = nil, queue: ShowQueue? = nil
    ) {
        self.id = id
        self.name = name
        self.startTime = startTime
        self.totalSeats = totalSeats
        self.availableSeats = availableSeats
        self.createdAt = createdAt
        self.venueId = venueId
        self.onSaleAt = onSaleAt
        self.queue = queue
    }
}

/// A show with its seat map: the seats that are confirmed or held and unexpired, and the
/// seats no one may book (blocked: house seats, broken seats).
public struct ShowDetail: Sendable, Equatable {
    public var show: Show
    public var takenSeats: [Int]
    public var blockedSeats: [Int]

    public init(show: Show, takenSeats: [Int], blockedSeats: [Int] = []) {
        self.show = show
        self.takenSeats = takenSeats
        self.blockedSeats = blockedSeats
    }
}

/// One booking of one or more seats of one show.
public struct Booking: Sendable, Equatable {
    public var id: String
    public var showId: String
    public var userId: String
    public var userName: String
    public var seats: [Int]
    public var status: BookingStatus
    public var createdAt: Date
    public var expiresAt: Date?

    public init(
        id: String, showId: String, userId: String, userName: String, seats: [Int],
        status: BookingStatus, createdAt: Date, expiresAt: Date?
    ) {
        self.id = id
        self.showId = showId
        self.userId = userId
        self.userName = userName
        self.seats = seats
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether this booking holds its seats at `now`: confirmed, or held and not yet expired.
    public func isActive(at now: Date) -> Bool {
        switch status {
        case .confirmed: true
        case .pending: expiresAt.map { $0 > now } ?? false
        case .cancelled, .expired: false
        }
    }
}

/// Makes the opaque ids Marquee hands out.
public enum Identifier {
    /// A new random id (a lowercase version 4 UUID). Its bytes come from the system's
    /// generator directly: Foundation's `UUID()` opens /dev/urandom for each id on Linux, and
    /// every request and every booking takes one.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { bytes in
            bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: 8, as: UInt64.self)
            bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
            bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        }
        return spelled(uuid)
    }

    /// Whether `text` could be an id Marquee made; anything else names nothing.
    public static func isWellFormed(_ text: String) -> Bool { uuid(text) != nil }

    /// The UUID `text` spells: 32 hex digits in either case, grouped 8-4-4-4-12 by dashes;
    /// nil for anything else. Read here rather than by Foundation's `UUID(uuidString:)`,
    /// which goes through `sscanf` on Linux, because every request that names a user, a show
    /// or a booking reads one.
    public static func uuid(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let read = withUnsafeMutableBytes(of: &uuid) { bytes -> Bool in
                var at = 0
                for index in 0..<16 {
                    if at == 8 || at == 13 || at == 18 || at == 23 {
                        guard utf8[at] == UInt8(ascii: "-") else { return false }
                        at += 1
                    }
                    guard let high = hexValue(utf8[at]), let low = hexValue(utf8[at + 1]) else { return false }
                    bytes[index] = high << 4 | low
                    at += 2
                }
                return true
            }
            return read ? UUID(uuid: uuid) : nil
        }
    }

    /// How Marquee writes `uuid`: lowercase, 8-4-4-4-12, as ``make()`` does.
    public static func text(_ uuid: UUID) -> String { spelled(uuid.uuid) }

    /// The lowercase 8-4-4-4-12 spelling, written straight into the string rather than
    /// through Foundation's uppercase `uuidString` and a lowercased copy.
    private static func spelled(_ uuid: uuid_t) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    out[at] = hexDigit(byte >> 4)
                    out[at + 1] = hexDigit(byte & 0x0F)
                    at += 2
                }
                return at
            }
        }
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
