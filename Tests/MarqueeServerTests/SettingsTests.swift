import ArgumentParser
import Foundation
import Logging
import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import Testing

/// `marquee`'s settings: every environment variable, flags over variables, `_FILE` secrets,
/// and the refusals that stop a start with a message naming what to fix.
@Suite struct SettingsTests {
    static func resolve(_ environment: [String: String], _ arguments: [String] = []) throws -> AppConfiguration {
        try Settings.parse(arguments).resolve(environment: environment)
    }

    static func expectRefusal(_ environment: [String: String], naming text: String) {
        do {
            _ = try resolve(environment)
            Issue.record("\(environment) was accepted")
        } catch {
            #expect("\(error)".contains(text), "\(environment) was refused with: \(error)")
        }
    }

    /// One variable, a value for it, and what that value must make of the configuration.
    struct Case: Sendable, CustomTestStringConvertible {
        var variable: String
        var value: String
        var check: @Sendable (AppConfiguration) -> Bool
        var testDescription: String { "\(variable)=\(value)" }
        init(_ variable: String, _ value: String, _ check: @escaping @Sendable (AppConfiguration) -> Bool) {
            (self.variable, self.value, self.check) = (variable, value, check)
        }
    }

    static let key = "k1:" + String(repeating: "s", count: 32)
    static let cases: [Case] = [
        Case("MARQUEE_HOST", "0.0.0.0") { $0.host == "0.0.0.0" },
        Case("MARQUEE_PORT", "9090") { $0.port == 9090 },
        Case("MARQUEE_DATABASE_PATH", "/tmp/x.sqlite") { $0.databasePath == "/tmp/x.sqlite" },
        Case("DATABASE_URL", "postgres://u@h/db") { $0.databaseURL == "postgres://u@h/db" },
        Case("MARQUEE_DB_POOL_SIZE", "7") { $0.databasePoolSize == 7 },
        Case("MARQUEE_DB_POOL_MIN", "5") { $0.databasePoolMinimum == 5 },
        Case("MARQUEE_DB_PARTITIONS", "64") { $0.databasePartitions == 64 },
        Case("MARQUEE_DB_PREPARED_STATEMENTS", "OFF") { $0.preparedStatements == .off },
        Case("MARQUEE_REPLICA_MAX_LAG_MS", "250") { $0.replicaMaxLag == .milliseconds(250) },
        Case("MARQUEE_MIGRATE", "false") { !$0.migrateOnStart },
        Case("MARQUEE_JWT_KEYS", key + ",k2:" + String(repeating: "t", count: 32)) { $0.signingKeys.map(\.kid) == ["k1", "k2"] },
        Case("MARQUEE_JWT_ISSUER", "venue") { $0.tokenIssuer == "venue" },
        Case("MARQUEE_JWT_AUDIENCE", "buyers") { $0.tokenAudience == "buyers" },
        Case("MARQUEE_TOKEN_SECONDS", "600") { $0.tokenLifetime == .seconds(600) },
        Case("MARQUEE_BCRYPT_COST", "4") { $0.bcryptCost == 4 },
        Case("MARQUEE_HOLD_SECONDS", "30") { $0.holdDuration == .seconds(30) },
        Case("MARQUEE_MAX_ACTIVE_HOLDS", "2") { $0.maxActiveHolds == 2 },
        Case("MARQUEE_SWEEP_SECONDS", "3") { $0.sweepInterval == .seconds(3) },
        Case("MARQUEE_IDEMPOTENCY_HOURS", "48") { $0.idempotencyRetention == .seconds(48 * 3600) },
        Case("MARQUEE_MAX_SEATS_PER_BOOKING", "4") { $0.maxSeatsPerBooking == 4 },
        Case("MARQUEE_MAX_BODY_BYTES", "2048") { $0.maxBodyBytes == 2048 },
        Case("MARQUEE_LOGIN_FAILURES_PER_EMAIL", "3") { $0.loginFailuresPerEmail == 3 },
        Case("MARQUEE_LOGIN_FAILURES_PER_ADDRESS", "30") { $0.loginFailuresPerAddress == 30 },
        Case("MARQUEE_LOGIN_WINDOW_SECONDS", "60") { $0.loginWindow == .seconds(60) },
        Case("MARQUEE_LOG_LEVEL", "DEBUG") { $0.logLevel == .debug },
        Case("MARQUEE_STARTUP_TIMEOUT_SECONDS", "5") { $0.startupTimeout == .seconds(5) },
        Case("MARQUEE_SHUTDOWN_GRACE_SECONDS", "0") { $0.shutdownGrace == .seconds(0) },
        Case("MARQUEE_IDLE_TIMEOUT_SECONDS", "5") { $0.idleTimeout == .seconds(5) },
        Case("MARQUEE_WEB_ROOT", "/srv/web") { $0.webRoot == "/srv/web" },
        Case("MARQUEE_EVENT_RETENTION_HOURS", "2") { $0.eventRetention == .seconds(7200) },
        Case("MARQUEE_EVENT_POLL_MS", "250") { $0.eventPollInterval == .milliseconds(250) },
        Case("MARQUEE_WEBHOOK_RETRY_BASE_MS", "50") { $0.webhookRetry.base == .milliseconds(50) },
        Case("MARQUEE_WEBHOOK_MAX_ATTEMPTS", "3") { $0.webhookRetry.maxAttempts == 3 },
        Case("MARQUEE_SSE_HEARTBEAT_SECONDS", "5") { $0.eventHeartbeat == .seconds(5) },
        Case("MARQUEE_READ_CACHE_MS", "0") { $0.readCacheTTL == .zero },
        Case("MARQUEE_BOOKING_LANES", "1") { $0.bookingLimits.lanes == 1 },
        Case("MARQUEE_BOOKING_BATCH_MAX", "8") { $0.bookingLimits.maxBatch == 8 },
        Case("MARQUEE_BOOKING_QUEUE_PER_SHOW", "16") { $0.bookingLimits.maxWaitingPerShow == 16 },
        Case("MARQUEE_BOOKING_QUEUE_MAX", "100") { $0.bookingLimits.maxWaiting == 100 },
    ]

    @Test(arguments: cases)
    func eachVariableMovesItsSettingAwayFromTheDefault(_ setting: Case) throws {
        #expect(setting.check(try Self.resolve([setting.variable: setting.value])))
        #expect(!setting.check(try Self.resolve([:])), "the default already had this value")
    }

    @Test func aFlagWinsOverItsVariable() throws {
        let configuration = try Self.resolve(["MARQUEE_PORT": "9090", "MARQUEE_HOST": "0.0.0.0"], ["--port", "7070"])
        #expect(configuration.port == 7070)
        #expect(configuration.host == "0.0.0.0")
        #expect(try Self.resolve([:], ["--no-migrate"]).migrateOnStart == false)
    }

    @Test func anEmptyVariableCountsAsUnset() throws {
        #expect(try Self.resolve(["MARQUEE_PORT": "", "DATABASE_URL": ""]).port == 8080)
        #expect(try Self.resolve(["DATABASE_URL": ""]).databaseURL == nil)
    }

    @Test(arguments: cases.filter { Int($0.value) != nil }.map(\.variable))
    func aNumberOutOfRangeOrNotANumberIsRefusedByName(_ variable: String) throws {
        for value in ["-1", "12abc", "99999999999"] {
            Self.expectRefusal([variable: value], naming: variable)
        }
    }

    @Test func secretsComeFromTheFilesTheirFileVariablesName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let configuration = try Self.resolve([
            "DATABASE_URL_FILE": try file("url", "postgres://from@file/db\n"),
            "MARQUEE_JWT_KEYS_FILE": try file("keys", Self.key),
            "MARQUEE_ADMIN_EMAIL": "boss@example.com",
            "MARQUEE_ADMIN_PASSWORD_FILE": try file("password", "from-a-file-1"),
        ])
        #expect(configuration.databaseURL == "postgres://from@file/db")
        #expect(configuration.signingKeys.map(\.kid) == ["k1"])
        #expect(configuration.admin?.password == "from-a-file-1")
        #expect(configuration.admin?.name == "Administrator")
        #expect(try Self.resolve([
            "MARQUEE_ADMIN_EMAIL": "boss@example.com", "MARQUEE_ADMIN_PASSWORD": "p-123456", "MARQUEE_ADMIN_NAME": "Boss",
        ]).admin?.name == "Boss")
    }

    @Test func settingsThatCannotWorkTogetherAreRefusedWithWhatToSet() throws {
        let refusals: [([String: String], String)] = [
            (["MARQUEE_TLS_CERTIFICATE": "/c.pem"], "MARQUEE_TLS_KEY"),
            (["MARQUEE_TLS_KEY": "/k.pem"], "MARQUEE_TLS_CERTIFICATE"),
            (["MARQUEE_ADMIN_EMAIL": "boss@example.com"], "MARQUEE_ADMIN_PASSWORD"),
            (["MARQUEE_LOG_LEVEL": "loud"], "MARQUEE_LOG_LEVEL"),
            (["MARQUEE_JWT_KEYS": "k1:short"], "32"),
            (["MARQUEE_IDEMPOTENCY_HOURS": "1"], "MARQUEE_IDEMPOTENCY_HOURS"),
            (["MARQUEE_DIRECT_DATABASE_URL": "postgres://u@primary/db"], "DATABASE_URL"),
            (["MARQUEE_DB_PREPARED_STATEMENTS": "sometimes"], "MARQUEE_DB_PREPARED_STATEMENTS"),
            (["DATABASE_REPLICA_URLS": "postgres://u@replica/db"], "DATABASE_URL"),
            (["MARQUEE_DB_POOL_SIZE": "4", "MARQUEE_DB_POOL_MIN": "5"], "MARQUEE_DB_POOL_MIN"),
        ]
        for (environment, named) in refusals {
            Self.expectRefusal(environment, naming: named)
        }
        let pooled = try Self.resolve([
            "DATABASE_URL": "postgres://u@pgbouncer:6432/db", "MARQUEE_DIRECT_DATABASE_URL": "postgres://u@primary/db",
        ])
        #expect(pooled.directDatabaseURL == "postgres://u@primary/db" && pooled.preparedStatements == .auto)
        let replicated = try Self.resolve([
            "DATABASE_URL": "postgres://u@primary/db", "DATABASE_REPLICA_URLS": " postgres://u@r1/db, postgres://u@r2/db ,",
        ])
        #expect(replicated.replicaURLs == ["postgres://u@r1/db", "postgres://u@r2/db"] && replicated.replicaMaxLag == .seconds(1))
        let tls = try Self.resolve(["MARQUEE_TLS_CERTIFICATE": "/c.pem", "MARQUEE_TLS_KEY": "/k.pem"]).tls
        #expect(tls?.certificateChain == "/c.pem" && tls?.privateKey == "/k.pem")
    }
}
