import Foundation
import GRDB
import MarqueeCore

/// Migrations and triggers, from the files in SQL/sqlite/.
extension SQLiteStore {
    /// Runs the migrations that are missing, then the triggers whose text changed (see
    /// ``SchemaFiles``), in one immediate transaction: a second process waits its turn.
    public func migrate() async throws {
        let files = SchemaFiles.sqlite
        if isReadOnly { return try await requireCurrentSchema(files) }
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

    /// A read-only database cannot be migrated: it is served only when it needs nothing.
    private func requireCurrentSchema(_ files: SchemaFiles) async throws {
        let (applied, recorded) = try await pool.read { db -> (Int, [String: String]) in
            guard try db.tableExists("schema_migrations"), try db.tableExists("schema_definitions") else { return (0, [:]) }
            let applied = try Int.fetchOne(db, sql: "SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT name, digest FROM schema_definitions")
            return (applied, Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as String, $0["digest"] as String) }))
        }
        let latest = files.migrations.map(\.version).max() ?? 0
        let stale = files.definitions.filter { recorded[$0.name] != $0.digest }.map(\.name)
        guard applied >= latest, stale.isEmpty else {
            throw StoreSetupError(
                "The SQLite database \(path) is read-only and its schema is not this version's (migration \(applied) "
                    + "of \(latest)\(stale.isEmpty ? "" : ", triggers " + stale.joined(separator: ", ") + " to replace")). "
                    + "Start it once where it can be written, so that it is brought up to date.")
        }
    }
}
