import Foundation
public import OpenAPIRuntime

/// Dates as API.md wants them: RFC 3339 in UTC, written with whole seconds
/// (`2031-01-01T20:00:00Z`), read with or without fractional seconds and with any offset.
public struct RFC3339DateTranscoder: DateTranscoder {
    public init() {}

    public func encode(_ date: Date) throws -> String {
        // Whole seconds taken from the microsecond the stores keep, so a time stored as
        // 20:00:00.000000 never prints as 19:59:59 through floating-point error.
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        // Written out from 1970 to 9999: a formatter made per date cost more than the rest of
        // a booking's JSON. Foundation writes the others, with its calendar's rules for them.
        guard seconds >= 0, seconds < 253_402_300_800 else {
            return Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        }
        return Self.utc(secondsSince1970: Int(seconds))
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` for a second from 1970 to 9999, by the civil-from-days reckoning
    /// of the Gregorian calendar (Howard Hinnant, "chrono-compatible low-level date
    /// algorithms"): days counted from 0000-03-01 in 400-year eras, so leap days fall last.
    private static func utc(secondsSince1970 seconds: Int) -> String {
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let fromMarch0000 = days + 719_468
        let era = fromMarch0000 / 146_097
        let dayOfEra = fromMarch0000 - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0)
        return String(unsafeUninitializedCapacity: 20) { out in
            var end = 0
            func put(_ value: Int, digits: Int, then separator: Unicode.Scalar) {
                var value = value
                for at in (end..<end + digits).reversed() {
                    out[at] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                out[end + digits] = UInt8(ascii: separator)
                end += digits + 1
            }
            put(year, digits: 4, then: "-")
            put(month, digits: 2, then: "-")
            put(day, digits: 2, then: "T")
            put(secondOfDay / 3_600, digits: 2, then: ":")
            put(secondOfDay / 60 % 60, digits: 2, then: ":")
            put(secondOfDay % 60, digits: 2, then: "Z")
            return end
        }
    }

    public func decode(_ text: String) throws -> Date {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        throw InvalidTime(text: text)
    }

    /// A time that is not RFC 3339. The transcoder is not told which field it reads, so the
    /// HTTP layer names the field from the operation.
    public struct InvalidTime: Error, Sendable {
        public var text: String
    }
}
