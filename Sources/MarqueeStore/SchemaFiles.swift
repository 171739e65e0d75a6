import Crypto
import Foundation
import MarqueeCore

/// One engine's SQL as the package ships it, in `SQL/<engine>/` (see docs/ARCHITECTURE.md):
/// - `migrations/NNNN_name.sql`: numbered steps, each run once, in order, and recorded in
///   `schema_migrations`. Never edit a step that has shipped; add the next one.
/// - a folder of definitions (PostgreSQL's `functions/`, SQLite's `triggers/`): each the one
///   place an object is defined, written so that running it again replaces the object. A
///   definition runs after the migrations whenever its text differs from the one recorded
///   in `schema_definitions`, so a change to a function is a change to its file, nothing else.
struct SchemaFiles: Sendable {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var sql: String
    }

    struct Definition: Sendable {
        var name: String
        var sql: String
        /// SHA-256 of the text, hex: what `schema_definitions` records.
        var digest: String
    }

    var migrations: [Migration]
    var definitions: [Definition]

    /// SHA-256 of every migration and definition, hex: equal digests, equal schemas.
    var digest: String {
        let parts = migrations.map { "\($0.name)\n\($0.sql)" } + definitions.map { "\($0.name)\n\($0.digest)" }
        return SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8)).hexString
    }

    static let postgres = load(engine: "postgres", definitions: "functions")
    static let sqlite = load(engine: "sqlite", definitions: "triggers")

    /// The files are part of the build; a missing or misnamed one is a packaging fault, so
    /// this stops the process with a message that names it rather than starting without SQL.
    private static func load(engine: String, definitions: String) -> SchemaFiles {
        guard let root = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
            fatalError("The SQL resources are missing from marquee_MarqueeStore.resources beside the executable.")
        }
        let folder = root.appendingPathComponent(engine)
        let migrations = sqlFiles(in: folder.appendingPathComponent("migrations")).map { url in
            let name = url.deletingPathExtension().lastPathComponent
            guard let version = Int(name.prefix { $0.isNumber }) else {
                fatalError("Migration \(url.path) must start with its number, as in 0001_name.sql.")
            }
            return Migration(version: version, name: name, sql: text(of: url))
        }
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            fatalError("Migration \(migration.name) should be number \(index + 1): the steps must run 1, 2, 3, … with no gap.")
        }
        let objects = sqlFiles(in: folder.appendingPathComponent(definitions)).map { url in
            let sql = text(of: url)
            return Definition(
                name: url.deletingPathExtension().lastPathComponent, sql: sql,
                digest: SHA256.hash(data: Data(sql.utf8)).hexString)
        }
        return SchemaFiles(migrations: migrations, definitions: objects)
    }

    private static func sqlFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { folder.appendingPathComponent($0) }
    }

    private static func text(of url: URL) -> String {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else { fatalError("Cannot read \(url.path) as UTF-8.") }
        return text
    }
}
