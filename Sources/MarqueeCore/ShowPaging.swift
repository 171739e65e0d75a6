import Foundation

/// Where a page of the show list starts: just after the show with this start time and id.
/// Clients see it only as an opaque string.
public struct ShowCursor: Sendable, Equatable {
    /// Microseconds since 1970, the precision both stores keep.
    public var startMicros: Int64
    public var id: String

    public init(startMicros: Int64, id: String) {
        self.startMicros = startMicros
        self.id = id
    }

    /// The cursor as handed to clients: base64url of `micros:id`.
    public var encoded: String {
        Data("\(startMicros):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor a client sent back; nil when it is not one Marquee made.
    public init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard encoded.count <= 200, let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]), Identifier.isWellFormed(String(parts[1])) else {
            return nil
        }
        self.init(startMicros: micros, id: String(parts[1]))
    }
}

/// A request for one page of shows, ordered by start time, then id.
public struct ShowQuery: Sendable, Equatable {
    public static let limits = 1...200
    public static let defaultLimit = 50

    public var limit: Int
    public var after: ShowCursor?
    public var from: Date?

    /// Checks the query's rules; a bad limit or cursor is a validation error.
    public init(limit: Int?, cursor: String?, from: Date?) throws(MarqueeError) {
        var errors: [FieldError] = []
        let limit = limit ?? Self.defaultLimit
        if !Self.limits.contains(limit) {
            errors.append(FieldError(field: "limit", message: "limit must be 1 to 200."))
        }
        var after: ShowCursor?
        if let cursor {
            after = ShowCursor(encoded: cursor)
            if after == nil { errors.append(FieldError(field: "cursor", message: "cursor is not valid.")) }
        }
        guard errors.isEmpty else { throw .validation(errors) }
        self.limit = limit
        self.after = after
        self.from = from
    }
}

/// One page of shows, and the cursor of the next page (nil on the last).
public struct ShowPage: Sendable, Equatable {
    public var items: [Show]
    public var next: ShowCursor?

    public init(items: [Show], next: ShowCursor?) {
        self.items = items
        self.next = next
    }

    /// Cuts the `limit + 1` rows a page query fetched (each with its start in microseconds)
    /// into a page and the cursor of the next one; no next cursor when nothing is left.
    public init(rows: [(show: Show, startMicros: Int64)], limit: Int) {
        guard rows.count > limit else {
            self.init(items: rows.map(\.show), next: nil)
            return
        }
        let last = rows[limit - 1]
        self.init(items: rows.prefix(limit).map(\.show), next: ShowCursor(startMicros: last.startMicros, id: last.show.id))
    }
}

/// Conversions between `Date` and the microseconds the stores keep.
public enum Micros {
    public static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
    public static func date(_ micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }
}
