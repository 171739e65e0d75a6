import Logging
import NIOConcurrencyHelpers

/// What a store's connection pool is doing, for the `marquee_db_pool_connections` gauge.
public struct PoolStatistics: Sendable, Equatable {
    /// Connections open to the database.
    public var open: Int
    /// Connections leased to a query right now.
    public var inUse: Int
    /// Database operations waiting for a connection.
    public var waiting: Int
    /// The most connections the pool opens.
    public var limit: Int

    public var idle: Int { max(0, open - inUse) }
}

/// Estimates a PostgresNIO pool's state. PostgresNIO (1.33) reports pool events only as
/// debug log lines on the client's background logger, and only connection creation and
/// closing at that: leases are not reported. So connections open are counted from those
/// lines (this handler is teed into that logger; the conformance suite checks the count
/// moves, so a change of wording fails a test instead of freezing the gauge), and use is
/// estimated from the store's own operations in flight: up to one connection each, and
/// those beyond the open connections are waiting. An operation counts from its start until
/// its query answers (rows still streaming are not counted), so use is a slight underestimate.
final class PoolCounters: Sendable {
    private let state = NIOLockedValueBox((open: 0, inFlight: 0))
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var statistics: PoolStatistics {
        state.withLockedValue { state in
            let open = max(0, state.open)
            let inFlight = max(0, state.inFlight)
            return PoolStatistics(
                open: open, inUse: min(inFlight, open), waiting: max(0, inFlight - open), limit: limit)
        }
    }

    func operationStarted() { state.withLockedValue { $0.inFlight += 1 } }
    func operationEnded() { state.withLockedValue { $0.inFlight -= 1 } }

    fileprivate func record(_ message: String) {
        state.withLockedValue { state in
            switch message {
            case "Creating new connection": state.open += 1
            case "Connection creation failed", "Connection closed": state.open -= 1
            default: break
            }
        }
    }

    /// `logger`, also feeding this counter with the pool's debug events.
    func tapping(_ logger: Logger) -> Logger {
        var tapped = logger
        tapped.handler = MultiplexLogHandler([logger.handler, PoolEventTap(counters: self)])
        return tapped
    }
}

private struct PoolEventTap: LogHandler {
    let counters: PoolCounters
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        counters.record(event.message.description)
    }
}
