import Foundation
import GRDB
import MarqueeCore

/// Migrations and triggers, from the files in SQL/sqlite/.
extension SQLiteStore {
    /// Runs the migrations that are missing, then the triggers whose text changed (see
    /// ``SchemaFiles``), in one immediate transaction: a second process waits its turn.
    public func migrate() async throws {
        let files = SchemaFiles.sqlite
        try await writeImmediately { db in
            try db.execute(
                sql: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"
            )
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS schema_definitions (
                        name TEXT PRIMARY KEY, digest TEXT NOT NULL, applied_at INTEGER NOT NULL)
                    """)
            let now = Micros.from(Date())
            let applied = try Int.fetchOne(db, sql: "SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0
            for migration in files.migrations where migration.version > applied {
                try db.execute(sql: migration.sql)
                try db.execute(
                    sql: "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    arguments: [migration.version, now])
            }
            let recorded = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, digest FROM schema_definitions").map {
                    ($0["name"] as String, $0["digest"] as String)
                })
            for definition in files.definitions where recorded[definition.name] != definition.digest {
                try db.execute(sql: definition.sql)
                try db.execute(
                    sql: """
                        INSERT INTO schema_definitions (name, digest, applied_at) VALUES (?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET digest = excluded.digest, applied_at = excluded.applied_at
                        """,
                    arguments: [definition.name, definition.digest, now])
            }
        }
    }
}
