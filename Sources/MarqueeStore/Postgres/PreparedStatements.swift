import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// Whether the store's hot statements (``PostgresStatements``) are named and prepared once
/// per connection. A pooler in transaction mode (PgBouncer 1.18) hands each transaction to
/// any server connection, so a statement prepared on one is unknown on the next: there the
/// statements must go unnamed, parsed with each call.
public enum PreparedStatements: String, Sendable {
    case on, off
    /// Named until the database shows it is a pooler's: the first "prepared statement does
    /// not exist" or "already exists" turns them off for good, and that call is sent again
    /// unnamed (the error comes before the statement runs, so nothing ran twice).
    case auto
}

/// The store's current choice, which `auto` may turn off once while the store runs.
final class StatementNaming: Sendable {
    private let named: NIOLockedValueBox<Bool>
    let mode: PreparedStatements

    init(_ mode: PreparedStatements) {
        self.mode = mode
        self.named = NIOLockedValueBox(mode != .off)
    }

    var isNamed: Bool { named.withLockedValue { $0 } }

    /// Turns naming off if `error` says the connection is a pooler's and the mode allows
    /// it; true when the call should be sent again unnamed.
    func fallBack(after error: any Error, logger: Logger) -> Bool {
        guard mode == .auto, Self.meansPooler(error) else { return false }
        let first = named.withLockedValue { named in
            defer { named = false }
            return named
        }
        if first {
            logger.warning(
                Logger.Message(stringLiteral:
                "The database forgot a prepared statement: DATABASE_URL looks like a pooler in transaction mode. "
                    + "Statements go unnamed from now on; set MARQUEE_DIRECT_DATABASE_URL (which also keeps LISTEN "
                    + "and migrations off the pooler) or MARQUEE_DB_PREPARED_STATEMENTS=off to say so at start."),
                metadata: ["error": "\(String(reflecting: error))"])
        }
        return true
    }

    /// 26000: a prepared statement this connection never prepared; 42P05: one it already has.
    static func meansPooler(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server else { return false }
        let state = error.serverInfo?[.sqlState]
        return state == "26000" || state == "42P05"
    }
}
