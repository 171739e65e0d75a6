import Foundation
import Logging
import PostgresNIO

/// What the server checks of its database at start: room for its connections, and the
/// statement timeout its connections really have (through a pooler it is the pooler's).
public struct DatabaseCapacity: Sendable, Equatable {
    /// `max_connections` less the connections kept for superusers.
    public var connectionLimit: Int
    /// Client connections open to the database now, this instance's among them.
    public var connectionsOpen: Int
    /// `statement_timeout` as a connection of the pool sees it, in milliseconds; 0 is none.
    public var statementTimeoutMilliseconds: Int

    public init(connectionLimit: Int, connectionsOpen: Int, statementTimeoutMilliseconds: Int) {
        self.connectionLimit = connectionLimit
        self.connectionsOpen = connectionsOpen
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }
}

extension PostgresStore {
    public func capacity() async throws -> DatabaseCapacity {
        let rows = try await client.query(
            """
            SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int,
                   (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend'),
                   (SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout')
            """, logger: logger)
        for try await (limit, open, timeout) in rows.decode((Int, Int, Int).self) {
            return DatabaseCapacity(connectionLimit: limit, connectionsOpen: open, statementTimeoutMilliseconds: timeout)
        }
        throw BookingFunctionError.unexpectedAnswer
    }
}
