import Foundation
import GRDB
import MarqueeCore

/// The embedded store: one SQLite file in WAL mode. Every write runs inside
/// `BEGIN IMMEDIATE`, so writers queue one at a time, across processes too.
public final class SQLiteStore: BookingStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path`. Call ``migrate()`` before use.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
    }

    /// Runs `body` in an immediate transaction: the write lock is taken before the first read,
    /// so what the body reads cannot change before it commits.
    func writeImmediately<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        try pool.close()
    }

    /// SQLite has no connection pool to watch (one writer, WAL readers).
    public var poolStatistics: PoolStatistics? { nil }
}
