import MarqueeStore
import Testing

@testable import MarqueeServer

/// The warnings said at start on PostgreSQL, from what the database reported.
@Suite struct DatabaseStartupCheckTests {
    static func configuration(pool: Int = 20, pooled: Bool = false) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.databaseURL = "postgres://marquee@pgbouncer:6432/marquee"
        configuration.directDatabaseURL = pooled ? "postgres://marquee@primary:5432/marquee" : nil
        configuration.databasePoolSize = pool
        return configuration
    }

    @Test func aPoolThatFitsBesideTheOthersIsNotWarnedAbout() {
        let capacity = DatabaseCapacity(connectionLimit: 97, connectionsOpen: 40, statementTimeoutMilliseconds: 5000)
        // 39 others, 58 free, 21 wanted.
        #expect(DatabaseStartupCheck.warnings(capacity, configuration: Self.configuration(), ownConnectionsOpen: 1).isEmpty)
    }

    @Test func aPoolLargerThanWhatIsLeftIsWarnedAboutWithWhatToChange() throws {
        let capacity = DatabaseCapacity(connectionLimit: 97, connectionsOpen: 80, statementTimeoutMilliseconds: 5000)
        // 78 others, 19 free, 21 wanted.
        let warnings = DatabaseStartupCheck.warnings(capacity, configuration: Self.configuration(), ownConnectionsOpen: 2)
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.contains("21 connections") && warning.contains("only 19") && warning.contains("MARQUEE_DB_POOL_SIZE"))
        // One connection fewer each and it fits exactly.
        #expect(
            DatabaseStartupCheck.warnings(capacity, configuration: Self.configuration(pool: 18), ownConnectionsOpen: 2)
                .isEmpty)
    }

    @Test func throughAPoolerOnlyAMissingStatementTimeoutIsWarnedAbout() throws {
        let none = DatabaseCapacity(connectionLimit: 10, connectionsOpen: 10, statementTimeoutMilliseconds: 0)
        let warning = try #require(
            DatabaseStartupCheck.warnings(none, configuration: Self.configuration(pooled: true), ownConnectionsOpen: 1)
                .first)
        #expect(warning.contains("statement_timeout") && warning.contains("connect_query"))
        var set = none
        set.statementTimeoutMilliseconds = 5000
        // The pool ends at the pooler: its size says nothing of the database's connections.
        #expect(
            DatabaseStartupCheck.warnings(set, configuration: Self.configuration(pool: 500, pooled: true), ownConnectionsOpen: 1)
                .isEmpty)
        var off = Self.configuration(pooled: true)
        off.statementTimeoutMilliseconds = 0
        #expect(DatabaseStartupCheck.warnings(none, configuration: off, ownConnectionsOpen: 1).isEmpty)
    }
}
