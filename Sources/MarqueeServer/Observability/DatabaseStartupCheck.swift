import Logging
import MarqueeStore
import PostgresNIO

/// Checked once at start on PostgreSQL. Before anything else: a pooler named as the database
/// itself, which would refuse every connection, is said plainly. Then warnings only (the
/// server still starts, since another instance's pool may be smaller than this one's):
/// whether this instance's connections fit the database, and, through a pooler, whether the
/// statement timeout really holds.
enum DatabaseStartupCheck {
    /// PgBouncer refuses a startup parameter it does not know, such as the statement timeout
    /// sent when DATABASE_URL is taken to be the primary itself; the pool would only retry.
    /// One connection, made the same way, tells, and the start fails saying what to set.
    static func refuseUnannouncedPooler(_ configuration: AppConfiguration, logger: Logger) async throws {
        guard let url = configuration.databaseURL, configuration.directDatabaseURL == nil,
            configuration.statementTimeoutMilliseconds > 0
        else { return }
        var single = try PostgresURL.connectionConfiguration(url)
        single.options.additionalStartupParameters = [("statement_timeout", "\(configuration.statementTimeoutMilliseconds)")]
        do {
            let connection = try await PostgresConnection.connect(configuration: single, id: 0, logger: logger)
            try? await connection.close()
        } catch let error as PSQLError
            where error.serverInfo?[.sqlState] == "08P01" && error.serverInfo?[.message]?.contains("startup parameter") == true
        {
            throw ConfigurationError(
                "DATABASE_URL refused the startup parameter statement_timeout: it names a pooler (PgBouncer), not "
                    + "PostgreSQL. Set MARQUEE_DIRECT_DATABASE_URL to the primary itself (migrations and LISTEN use it, "
                    + "and statements go unnamed through the pooler), and set the timeout on the pooler's side "
                    + "(connect_query, see deploy/pgbouncer/pgbouncer.ini).")
        } catch {
            // Anything else (the database is still starting, say) is the pool's to wait out.
        }
    }

    /// The warnings to log for what the database said; empty when all is well.
    static func warnings(
        _ capacity: DatabaseCapacity, configuration: AppConfiguration, ownConnectionsOpen: Int
    ) -> [String] {
        var warnings: [String] = []
        let pooled = configuration.directDatabaseURL != nil
        if pooled {
            // Each instance's pool ends at the pooler; only its listener reaches the primary.
            if configuration.statementTimeoutMilliseconds > 0, capacity.statementTimeoutMilliseconds == 0 {
                warnings.append(
                    "DATABASE_URL is a pooler's and its server connections have no statement_timeout, so a stuck "
                        + "statement can hold a show's lock without end. Set it where the pooler connects: "
                        + "connect_query = 'SET statement_timeout = \(configuration.statementTimeoutMilliseconds)' "
                        + "on the database's line in pgbouncer.ini (deploy/pgbouncer/pgbouncer.ini), or "
                        + "ALTER ROLE … SET statement_timeout.")
            }
            return warnings
        }
        let mine = instanceConnections(configuration)
        let others = max(0, capacity.connectionsOpen - ownConnectionsOpen)
        let room = capacity.connectionLimit - others
        if mine > room {
            warnings.append(
                "This instance may open \(mine) connections to PostgreSQL (MARQUEE_DB_POOL_SIZE "
                    + "\(configuration.databasePoolSize) and its listener), and only \(room) of max_connections' "
                    + "\(capacity.connectionLimit) are free (\(others) in use by others): requests will wait and "
                    + "fail with 503 under load. Lower MARQUEE_DB_POOL_SIZE, raise max_connections, or put PgBouncer "
                    + "in front (docs/SCALING.md).")
        }
        return warnings
    }

    /// Connections one instance opens to the database itself without a pooler: its pool and
    /// its change listener.
    static func instanceConnections(_ configuration: AppConfiguration) -> Int { configuration.databasePoolSize + 1 }

    static func run(_ store: PostgresStore, configuration: AppConfiguration, logger: Logger) async {
        do {
            let capacity = try await store.capacity()
            let own = store.poolStatistics?.open ?? 1
            for warning in warnings(capacity, configuration: configuration, ownConnectionsOpen: own) {
                logger.warning(Logger.Message(stringLiteral: warning))
            }
            if configuration.directDatabaseURL == nil {
                let each = instanceConnections(configuration)
                logger.info(
                    Logger.Message(stringLiteral: "PostgreSQL takes \(capacity.connectionLimit) connections; this instance uses up to \(each): "
                        + "room for \(capacity.connectionLimit / each) instances like it."),
                    metadata: ["max_connections": "\(capacity.connectionLimit)", "instance_connections": "\(each)"])
            }
        } catch {
            logger.warning("Could not read the database's connection limits", metadata: ["error": "\(error)"])
        }
    }
}
