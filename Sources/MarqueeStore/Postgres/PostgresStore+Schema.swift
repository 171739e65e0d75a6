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
    /// ``SchemaFiles``), holding an advisory lock so that instances starting together take
    /// turns.
    public func migrate() async throws {
        let lock: Int64 = 0x6d61_7271_7565_65  // "marquee"
        let files = SchemaFiles.postgres
        try await client.withUnboundedConnection { connection in
            // Migrations may outlast the statement timeout set for every other statement.
            try await connection.query("SET statement_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_lock(\(lock))", logger: logger)
            do {
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_definitions (
                        name text PRIMARY KEY, digest text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = 0
                for try await version in try await connection.query(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations", logger: logger
                ).decode(Int.self) {
                    applied = version
                }
                for migration in files.migrations where migration.version > applied {
                    try await connection.withTransaction(logger: logger) { transaction in
                        for statement in SQLScript.statements(in: migration.sql) {
                            try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await transaction.query(
                            "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                    }
                }
                var recorded: [String: String] = [:]
                for try await (name, digest) in try await connection.query(
                    "SELECT name, digest FROM schema_definitions", logger: logger
                ).decode((String, String).self) {
                    recorded[name] = digest
                }
                let changed = files.definitions.filter { recorded[$0.name] != $0.digest }
                if !changed.isEmpty {
                    try await connection.withTransaction(logger: logger) { transaction in
                        for definition in changed {
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
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
                _ = try? await connection.query("RESET statement_timeout", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
            // The connection goes back to the pool with the timeout every other statement has.
            try await connection.query("RESET statement_timeout", logger: logger)
        }
    }
}
