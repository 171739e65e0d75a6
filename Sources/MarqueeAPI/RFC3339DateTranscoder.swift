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
        return Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
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
