import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// The production store: PostgreSQL through PostgresNIO's pooled client. The client's
/// ``run()`` must be running (the server runs it as a service) while the store is used.
public final class PostgresStore: BookingStore {
    let pool: PostgresClient
    private let counters: PoolCounters
    let logger: Logger
    /// Tells this process's change notifications from other instances'.
    public let instanceID = UUID().uuidString.lowercased()

    /// How long an operation outside a request may wait on the database (a request has its
    /// own budget, ``DatabaseDeadline/current``).
    let operationLimit: Duration
    /// Whether the hot statements go named (prepared once per connection) or unnamed.
    let naming: StatementNaming
    /// A connection of its own to the primary for migrations, when the pool's is a
    /// pooler's; nil: migrations use the pool.
    let direct: PostgresConnection.Configuration?
    /// The partition count migration 13 makes (SQL/postgres/migrations/0013_partition_by_show.sql).
    let partitions: Int
    /// Streaming replicas for the public reads, when there are any (+Replicas.swift).
    let replicas: ReplicaSet?
    /// The primary's position after writes, for consistency tokens; only with replicas.
    let positions: CommitPositions?

    /// - Parameters:
    ///   - direct: the primary itself, when `configuration` names a pooler in transaction
    ///     mode: migrations then run on a connection of their own to it.
    ///   - preparedStatements: `.auto` is `.off` when `direct` is given (the pool is a
    ///     pooler's), else on until the database shows otherwise.
    ///   - replicas: streaming replicas that may serve the public reads.
    ///   - partitions: how many hash partitions the migration that partitions bookings and
    ///     seat claims by show makes (0: none); it runs once, so later changes have no effect.
    public init(
        configuration: PostgresClient.Configuration, logger: Logger, operationLimit: Duration = .seconds(5),
        direct: PostgresConnection.Configuration? = nil, preparedStatements: PreparedStatements = .auto,
        replicas: ReplicaSettings? = nil, partitions: Int = 16
    ) {
        self.counters = PoolCounters(limit: configuration.options.maximumConnections)
        self.pool = PostgresClient(configuration: configuration, backgroundLogger: counters.tapping(logger))
        self.logger = logger
        self.operationLimit = operationLimit
        self.direct = direct
        self.partitions = partitions
        let naming = StatementNaming(preparedStatements == .auto && direct != nil ? .off : preparedStatements)
        self.naming = naming
        if let replicas, !replicas.replicas.isEmpty {
            self.replicas = ReplicaSet(
                replicas: replicas.replicas, maxLag: replicas.maxLag, observer: replicas.observer, logger: logger)
            let client = CountedClient(pool: pool, counters: counters, limit: operationLimit, naming: naming)
            self.positions = CommitPositions { [logger] in
                for try await text in try await client.query(
                    "SELECT pg_current_wal_insert_lsn()::text", logger: logger
                ).decode(String.self) {
                    if let position = WALPosition(text) { return position }
                }
                throw BookingFunctionError.unexpectedAnswer
            }
        } else {
            self.replicas = nil
            self.positions = nil
        }
    }

    /// Connections open, in use and waited for, right now.
    public var poolStatistics: PoolStatistics? { counters.statistics }

    /// The pool, with each use counted as an operation in flight (for "waiting") and bounded
    /// by the database deadline.
    var client: CountedClient { CountedClient(pool: pool, counters: counters, limit: operationLimit, naming: naming) }

    /// Runs the connection pool (and the replicas' pools and their monitor) until the
    /// surrounding task is cancelled.
    public func run() async {
        guard let replicas else { return await pool.run() }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.pool.run() }
            group.addTask { await replicas.run(primary: self.client, logger: self.logger) }
        }
    }

    /// Whether public reads may be served by replicas.
    public var hasReplicas: Bool { replicas != nil }

    public func close() async throws {}

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }
}

/// The booking function answered with something this code does not know: a schema and code
/// out of step.
enum BookingFunctionError: Error {
    case unexpectedAnswer
}

/// The ways the store uses the pool (a query, a leased connection, a prepared statement in
/// PostgresStatements.swift), each counted while it runs and each ending by the database
/// deadline (``DatabaseDeadline``): waiting for a connection, then the statements. A failure
/// that means the database is away becomes ``MarqueeError/databaseUnavailable``. Only
/// migrations go without a deadline.
struct CountedClient {
    let pool: PostgresClient
    let counters: PoolCounters
    let limit: Duration
    let naming: StatementNaming

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await bounded { [pool] in try await pool.query(query, logger: logger) }
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await bounded { [pool] in try await pool.withConnection(body) }
    }

    /// The pool without a deadline, for migrations, which take as long as they take.
    func withUnboundedConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        counters.operationStarted()
        defer { counters.operationEnded() }
        return try await pool.withConnection(body)
    }

    func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        counters.operationStarted()
        defer { counters.operationEnded() }
        do {
            return try await DatabaseDeadline.bound(by: DatabaseDeadline.effective(limit), work)
        } catch let error where DatabaseFault.meansUnavailable(error) {
            throw MarqueeError.databaseUnavailable
        }
    }
}
