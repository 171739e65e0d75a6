import Foundation
import Testing

/// The engines the conformance suite runs on. PostgreSQL needs `MARQUEE_TEST_DATABASE_URL`
/// (scripts/test starts a throwaway server and sets it); with `MARQUEE_REQUIRE_POSTGRES=1`
/// a missing URL fails the tests instead of leaving PostgreSQL out.
public enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    public var testDescription: String { rawValue }

    /// The engines this run tests. Without PostgreSQL it says so once, on standard error, so
    /// that a green run on SQLite alone is never taken for the whole suite.
    public static let available: [Engine] = {
        let environment = ProcessInfo.processInfo.environment
        if environment["MARQUEE_TEST_DATABASE_URL"] != nil || environment["MARQUEE_REQUIRE_POSTGRES"] == "1" {
            return [.sqlite, .postgres]
        }
        FileHandle.standardError.write(Data("""
            Marquee tests: PostgreSQL is LEFT OUT of this run (MARQUEE_TEST_DATABASE_URL is not set): every \
            test that takes an engine runs on SQLite only, and the PostgreSQL-only tests are skipped. \
            scripts/test starts a PostgreSQL and runs both.

            """.utf8))
        return [.sqlite]
    }()

    /// Whether PostgreSQL is part of this run, for the tests that need it alone.
    public static var hasPostgres: Bool { available.contains(.postgres) }
}
