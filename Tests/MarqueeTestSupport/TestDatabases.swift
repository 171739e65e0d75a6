import Foundation
import Logging
import MarqueeStore
import PostgresNIO

/// PostgreSQL databases for tests, one per test, on the server `MARQUEE_TEST_DATABASE_URL`
/// names (scripts/test starts one). A migrated database is a clone of a template database,
/// made once per schema and named by its digest, so a test costs a clone rather than a run of
/// every migration; a template whose SQL has changed is never reused.
public enum TestDatabases {
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["MARQUEE_TEST_DATABASE_URL"] else {
            throw HarnessError("MARQUEE_TEST_DATABASE_URL is not set; run scripts/test, which starts PostgreSQL.")
        }
        return url
    }

    /// Runs `body` with the URL of a new database of its own, migrated or empty, and drops
    /// the database afterwards, however `body` ends.
    public static func withDatabase<T: Sendable>(
        migrated: Bool, _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let admin = try adminURL()
        let name = "marquee_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        if migrated {
            try await clone(try await template.name(), as: name, adminURL: admin)
        } else {
            try await run("CREATE DATABASE \(name)", on: admin)
        }
        do {
            let result = try await body(url(of: name, adminURL: admin))
            try await run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: admin)
            return result
        } catch {
            try? await run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: admin)
            throw error
        }
    }

    public static func url(of database: String, adminURL: String) -> String {
        var components = URLComponents(string: adminURL)!
        components.path = "/" + database
        return components.string!
    }

    /// The template, made by the first test that needs it in this process (or found, made
    /// by an earlier run).
    private static let template = Template()

    private actor Template {
        private var made: Task<String, any Error>?

        func name() async throws -> String {
            if let made { return try await made.value }
            let task = Task { try await TestDatabases.makeTemplate() }
            made = task
            return try await task.value
        }
    }

    private static func makeTemplate() async throws -> String {
        let admin = try adminURL()
        let name = "marquee_template_" + PostgresStore.schemaDigest.prefix(16)
        let lock: Int64 = 0x6d71_7470_6c00  // test processes that start together take turns
        try await StoreHarness.withClient(admin) { client in
            try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(lock))", logger: StoreHarness.logger)
                do {
                    var ready = false
                    for try await flag in try await connection.query(
                        "SELECT datistemplate FROM pg_database WHERE datname = \(name)", logger: StoreHarness.logger
                    ).decode(Bool.self) {
                        ready = flag
                    }
                    if !ready {
                        // A template is marked only once it is migrated, so a half-made one is made again.
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: StoreHarness.logger)
                        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: StoreHarness.logger)
                        let store = PostgresStore(
                            configuration: try PostgresURL.configuration(url(of: name, adminURL: admin)),
                            logger: StoreHarness.logger, operationLimit: StoreHarness.patience)
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask { await store.run() }
                            defer { group.cancelAll() }
                            try await store.migrate()
                        }
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) WITH IS_TEMPLATE true"), logger: StoreHarness.logger)
                    }
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: StoreHarness.logger)
                    throw error
                }
                try await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: StoreHarness.logger)
            }
        }
        return name
    }

    /// `CREATE DATABASE … TEMPLATE`, which PostgreSQL refuses while anyone is connected to
    /// the template: the pool that migrated it closes its connections a moment after it stops.
    private static func clone(_ template: String, as name: String, adminURL: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                try await run("CREATE DATABASE \(name) TEMPLATE \(template)", on: adminURL)
                return
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    private static func run(_ sql: String, on url: String) async throws {
        try await StoreHarness.withClient(url) { client in
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: StoreHarness.logger)
        }
    }
}
