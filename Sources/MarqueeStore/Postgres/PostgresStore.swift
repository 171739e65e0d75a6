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

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.counters = PoolCounters(limit: configuration.options.maximumConnections)
        self.pool = PostgresClient(configuration: configuration, backgroundLogger: counters.tapping(logger))
        self.logger = logger
    }

    /// Connections open, in use and waited for, right now.
    public var poolStatistics: PoolStatistics? { counters.statistics }

    /// The pool, with each use counted as an operation in flight (for "waiting").
    var client: CountedClient { CountedClient(pool: pool, counters: counters) }

    /// Runs the connection pool until the surrounding task is cancelled.
    public func run() async { await pool.run() }

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

/// The three ways the store uses the pool, each counted while it runs.
struct CountedClient {
    let pool: PostgresClient
    let counters: PoolCounters

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        counters.operationStarted()
        defer { counters.operationEnded() }
        return try await pool.query(query, logger: logger)
    }

    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        counters.operationStarted()
        defer { counters.operationEnded() }
        return try await pool.withConnection(body)
    }
}
