import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Migrations and definitions, from the files in SQL/postgres/.
extension PostgresStore {
    /// SHA-256 of every migration and definition this build applies, hex: equal digests,
    /// equal schemas (tests name their template database by it).
    public static var schemaDigest: String { SchemaFiles.postgres.digest }

    /// Runs the migrations that are missing, then the definitions whose text changed (see
    /// ``SchemaFiles``), on the direct connection when there is one.
    ///
    /// Each step is a transaction that first takes a transaction-level advisory lock and then
    /// reads what is applied, so instances starting together take turns and none applies a
    /// step twice. Nothing outlives a transaction (no session lock, no `SET`), so this also
    /// holds through a pooler in transaction mode, and a process killed mid-way leaves no lock
    /// held on a connection that lives on in a pool.
    public func migrate() async throws {
        let files = SchemaFiles.postgres
        try await withMigrationConnection { connection in
            try await locked(connection) { transaction in
                try await transaction.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                try await transaction.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_definitions (
                        name text PRIMARY KEY, digest text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
            }
            // One migration per transaction, as each was written and tested.
            for migration in files.migrations {
                try await locked(connection) { transaction in
                    let applied = try await transaction.query(
                        "SELECT 1 FROM schema_migrations WHERE version = \(migration.version)", logger: logger)
                    for try await _ in applied { return }
                    for statement in SQLScript.statements(in: migration.sql) {
                        try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await transaction.query(
                        "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                }
            }
            try await locked(connection) { transaction in
                var recorded: [String: String] = [:]
                for try await (name, digest) in try await transaction.query(
                    "SELECT name, digest FROM schema_definitions", logger: logger
                ).decode((String, String).self) {
                    recorded[name] = digest
                }
                for definition in files.definitions where recorded[definition.name] != definition.digest {
                    for statement in SQLScript.statements(in: definition.sql) {
                        try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await transaction.query(
                        """
                        INSERT INTO schema_definitions (name, digest) VALUES (\(definition.name), \(definition.digest))
                        ON CONFLICT (name) DO UPDATE SET digest = EXCLUDED.digest, applied_at = now()
                        """, logger: logger)
                }
            }
        }
    }

    /// A transaction holding the migration lock, without the statement timeout every other
    /// statement has (a migration takes as long as it takes), and with the settings the
    /// migrations read (`marquee.partitions`).
    private func locked(_ connection: PostgresConnection, _ body: (PostgresConnection) async throws -> Void) async throws {
        let lock: Int64 = 0x6d61_7271_7565_65  // "marquee"
        do {
            try await connection.withTransaction(logger: logger) { transaction in
                try await transaction.query("SET LOCAL statement_timeout = 0", logger: logger)
                try await transaction.query("SELECT pg_advisory_xact_lock(\(lock))", logger: logger)
                try await transaction.query("SELECT set_config('marquee.partitions', \(String(partitions)), true)", logger: logger)
                try await body(transaction)
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// The direct connection when the pool's is a pooler's, else one of the pool's.
    private func withMigrationConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        guard let direct else { return try await client.withUnboundedConnection(body) }
        let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: logger)
        do {
            try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
