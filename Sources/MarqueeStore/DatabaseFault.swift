import GRDB
import MarqueeCore
import PostgresNIO

/// Which failures mean the database is away (unreachable, shutting down, starting up, out of
/// connections or disk, read-only, or too slow) rather than refusing this request: each of
/// them is answered 503 `database-unavailable`, never 500. Stores turn them into
/// ``MarqueeError/databaseUnavailable`` where they can; a failure that surfaces later (a row
/// stream cut off mid-way) is told apart here by the server's error handling.
public enum DatabaseFault {
    public static func meansUnavailable(_ error: any Error) -> Bool {
        if let error = error as? MarqueeError { return error == .databaseUnavailable }
        // The pool's own errors (no connection could be made for a while, the pool is shut
        // down) are of a type PostgresNIO does not export, so they are known by its name.
        if String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") { return true }
        if let error = error as? PSQLError { return meansUnavailable(error) }
        if let error = error as? DatabaseError { return meansUnavailable(error) }
        return false
    }

    private static func meansUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .queryCancelled:
            return true
        case .server:
            // 08: connection exceptions; 53: out of resources; 57: operator intervention
            // (shutdown, crash, starting up) and statement timeouts (57014); 25006: a
            // read-only transaction (a primary turned standby).
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57") || state == "25006"
        default:
            return false
        }
    }

    private static func meansUnavailable(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_BUSY, .SQLITE_LOCKED,
            .SQLITE_NOMEM, .SQLITE_PROTOCOL:
            return true
        default:
            return false
        }
    }
}
