import NIOConcurrencyHelpers

/// A position in PostgreSQL's write-ahead log, `16/B374D848` as PostgreSQL prints an LSN:
/// what `Marquee-Consistency` carries. Positions only grow, so a replica that has replayed
/// up to one has every change committed before it.
public struct WALPosition: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Reads `X/Y` (two hexadecimal numbers of up to 8 digits); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...8).contains($0.count) }),
            let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16)
        else { return nil }
        value = high << 32 | low
    }

    public var description: String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    public static func < (a: WALPosition, b: WALPosition) -> Bool { a.value < b.value }
}

/// Where the current request's reads may go. The server sets one for public GETs only (the
/// show list, a seat map), so that nothing a write is decided on is ever read from a replica:
/// without a route every read is the primary's.
///
/// A route remembers the first choice it is given, so one request reads from one database
/// and its page never goes back in time part-way.
public final class ReadRoute: Sendable {
    /// The request's reads need every change up to here (its consistency token, or the
    /// position of the event that emptied the read cache); nil: any replica within the lag.
    public let atLeast: WALPosition?
    private let chosen = NIOLockedValueBox<(target: Target, seen: WALPosition?)?>(nil)

    public enum Target: Sendable, Hashable {
        case primary
        case replica(Int)
    }

    @TaskLocal public static var current: ReadRoute?

    public init(atLeast: WALPosition?) { self.atLeast = atLeast }

    /// The target chosen before in this request, else `choose()`'s (with what it is known to
    /// have, at least), kept for the rest of it.
    func target(_ choose: () -> (Target, WALPosition?)) -> Target {
        chosen.withLockedValue { chosen in
            if let chosen { return chosen.target }
            let (target, seen) = choose()
            chosen = (target, seen)
            return target
        }
    }

    /// Reads go to the primary from now on (the replica chosen failed).
    func fallBack(seen: WALPosition?) { chosen.withLockedValue { $0 = (.primary, seen) } }

    /// A position the data this request read is at least as new as: what its database was
    /// known to have replayed (or written) when it was chosen. Nil when unknown.
    public var seen: WALPosition? { chosen.withLockedValue { $0?.seen } }
}
