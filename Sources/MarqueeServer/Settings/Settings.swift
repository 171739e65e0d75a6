import ArgumentParser
import Foundation
import Logging
import MarqueeStore

/// Every setting, as a flag or an environment variable (the flag wins). `--help` lists them.
/// The commands of the `marquee` executable take these as an option group; ``resolve(environment:)``
/// turns them into the typed ``AppConfiguration``.
public struct Settings: ParsableArguments {
    public init() {}

    @Option(help: "Address to listen on. [MARQUEE_HOST, default 127.0.0.1]") var host: String?
    @Option(help: "Port to listen on. [MARQUEE_PORT, default 8080]") var port: Int?
    @Option(help: "SQLite file, used when no PostgreSQL URL is set. [MARQUEE_DATABASE_PATH, default marquee.sqlite]")
    var databasePath: String?
    @Option(help: "postgres://user:password@host:5432/db: use PostgreSQL. [DATABASE_URL or DATABASE_URL_FILE]") var databaseUrl: String?
    @Option(
        help: """
            A direct connection to the primary, for migrations and LISTEN, when DATABASE_URL names a pooler in \
            transaction mode (PgBouncer). [MARQUEE_DIRECT_DATABASE_URL or MARQUEE_DIRECT_DATABASE_URL_FILE]
            """)
    var directDatabaseUrl: String?
    @Option(
        help: """
            Named prepared statements: on, off, or auto (off when MARQUEE_DIRECT_DATABASE_URL says DATABASE_URL is a \
            pooler, and turned off at the first sign of one). [MARQUEE_DB_PREPARED_STATEMENTS, default auto]
            """)
    var dbPreparedStatements: String?
    @Option(
        help: """
            Streaming replicas that may serve public GETs, comma-separated postgres:// URLs. \
            [DATABASE_REPLICA_URLS or DATABASE_REPLICA_URLS_FILE]
            """)
    var databaseReplicaUrls: String?
    @Option(help: "Most a read without a consistency token may be behind the primary. [MARQUEE_REPLICA_MAX_LAG_MS, default 1000]")
    var replicaMaxLagMs: Int?
    @Option(help: "Largest number of PostgreSQL connections. [MARQUEE_DB_POOL_SIZE, default 20]") var dbPoolSize: Int?
    @Option(
        help: """
            PostgreSQL connections kept open even while idle, at most the pool size; 0 opens them on demand. \
            [MARQUEE_DB_POOL_MIN, default 0]
            """)
    var dbPoolMin: Int?
    @Option(
        help: """
            Hash partitions of bookings and seat claims, made once, by the migration that partitions them by show; \
            0 keeps them whole. [MARQUEE_DB_PARTITIONS, default 16]
            """)
    var dbPartitions: Int?
    @Option(
        help: "Longest a request waits on the database in all before 503 database-unavailable. [MARQUEE_DB_WAIT_MS, default 2000]")
    var dbWaitMs: Int?
    @Option(
        help: "PostgreSQL stops any statement running longer than this; 0 never does. [MARQUEE_DB_STATEMENT_TIMEOUT_MS, default 5000]")
    var dbStatementTimeoutMs: Int?
    @Option(
        help: "CIDRs of proxies whose X-Forwarded-For names the client, e.g. 10.0.0.0/8,::1/128. [MARQUEE_TRUSTED_PROXIES, default none]")
    var trustedProxies: String?
    @Option(help: "Live streams one client address may have open at once. [MARQUEE_MAX_STREAMS_PER_ADDRESS, default 20]")
    var maxStreamsPerAddress: Int?
    @Option(help: "Seconds a new connection has to send its first request's headers; 0 never. [MARQUEE_HEADER_TIMEOUT_SECONDS, default 10]")
    var headerTimeoutSeconds: Int?
    @Option(help: "Connections open at once; past it new ones are closed. [MARQUEE_MAX_CONNECTIONS, default 10000]")
    var maxConnections: Int?
    @Flag(help: "Do not run schema migrations at start. [MARQUEE_MIGRATE=false]") var noMigrate = false
    @Option(
        help: """
            JWT signing keys as kid:secret[,kid:secret…]; the first signs, all verify. Secrets of at least 32 bytes. \
            Required with PostgreSQL; generated beside the SQLite file otherwise. [MARQUEE_JWT_KEYS or MARQUEE_JWT_KEYS_FILE]
            """)
    var jwtKeys: String?
    @Option(help: "Token issuer (iss). [MARQUEE_JWT_ISSUER, default marquee]") var jwtIssuer: String?
    @Option(help: "Token audience (aud). [MARQUEE_JWT_AUDIENCE, default marquee]") var jwtAudience: String?
    @Option(help: "Token lifetime in seconds. [MARQUEE_TOKEN_SECONDS, default 3600]") var tokenSeconds: Int?
    @Option(help: "bcrypt cost, 4 to 31. [MARQUEE_BCRYPT_COST, default 12]") var bcryptCost: Int?
    @Option(help: "How long a hold lasts, in seconds. [MARQUEE_HOLD_SECONDS, default 120]") var holdSeconds: Int?
    @Option(help: "Active holds one user may have at once (429 past it). [MARQUEE_MAX_ACTIVE_HOLDS, default 5]")
    var maxActiveHolds: Int?
    @Option(help: "Seconds between sweeps of lapsed holds and old idempotency keys. [MARQUEE_SWEEP_SECONDS, default 15]")
    var sweepSeconds: Int?
    @Option(help: "Hours idempotency keys are kept, at least 24. [MARQUEE_IDEMPOTENCY_HOURS, default 24]")
    var idempotencyHours: Int?
    @Option(help: "Most seats in one booking. [MARQUEE_MAX_SEATS_PER_BOOKING, default 10]") var maxSeatsPerBooking: Int?
    @Option(help: "Largest request body in bytes. [MARQUEE_MAX_BODY_BYTES, default 65536]") var maxBodyBytes: Int?
    @Option(help: "Failed logins per email per window before 429. [MARQUEE_LOGIN_FAILURES_PER_EMAIL, default 10]")
    var loginFailuresPerEmail: Int?
    @Option(
        help: "Failed logins per client address per window before 429. [MARQUEE_LOGIN_FAILURES_PER_ADDRESS, default 100]")
    var loginFailuresPerAddress: Int?
    @Option(help: "Login throttling window in seconds. [MARQUEE_LOGIN_WINDOW_SECONDS, default 900]")
    var loginWindowSeconds: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. [MARQUEE_LOG_LEVEL, default info]")
    var logLevel: String?
    @Option(help: "Seconds start-up waits for the database. [MARQUEE_STARTUP_TIMEOUT_SECONDS, default 30]")
    var startupTimeoutSeconds: Int?
    @Option(help: "Seconds SIGTERM waits for requests in flight. [MARQUEE_SHUTDOWN_GRACE_SECONDS, default 10]")
    var shutdownGraceSeconds: Int?
    @Option(help: "Seconds a client may send nothing before it is disconnected; live streams are exempt while open. [MARQUEE_IDLE_TIMEOUT_SECONDS, default 60]")
    var idleTimeoutSeconds: Int?
    @Option(help: "PEM certificate chain: serve HTTPS (with --tls-key). [MARQUEE_TLS_CERTIFICATE]")
    var tlsCertificate: String?
    @Option(help: "PEM private key for --tls-certificate. [MARQUEE_TLS_KEY]") var tlsKey: String?
    @Option(help: "Folder of the built web app to serve at /. [MARQUEE_WEB_ROOT, default: the one built in]")
    var webRoot: String?
    @Option(help: "Hours booking events are kept in the outbox. [MARQUEE_EVENT_RETENTION_HOURS, default 168]")
    var eventRetentionHours: Int?
    @Option(help: "Milliseconds between reads of the outbox when no change is announced. [MARQUEE_EVENT_POLL_MS, default 1000]")
    var eventPollMs: Int?
    @Option(help: "Milliseconds before a failed webhook delivery's first retry; each retry waits twice as long, up to an hour. [MARQUEE_WEBHOOK_RETRY_BASE_MS, default 1000]")
    var webhookRetryBaseMs: Int?
    @Option(help: "Attempts per webhook delivery before it is marked failed. [MARQUEE_WEBHOOK_MAX_ATTEMPTS, default 10]")
    var webhookMaxAttempts: Int?
    @Option(help: "Seconds between heartbeats on idle live streams. [MARQUEE_SSE_HEARTBEAT_SECONDS, default 15]")
    var sseHeartbeatSeconds: Int?
    @Option(help: "Milliseconds show lists and seat maps stay cached without a change event; 0 turns it off. [MARQUEE_READ_CACHE_MS, default 2000]")
    var readCacheMs: Int?
    @Option(help: "Booking transactions that may run at once; each show's requests use one of them. [MARQUEE_BOOKING_LANES, default 4]")
    var bookingLanes: Int?
    @Option(help: "Most booking requests decided in one transaction. [MARQUEE_BOOKING_BATCH_MAX, default 64]")
    var bookingBatchMax: Int?
    @Option(help: "Booking requests that may wait for one show before more get 503. [MARQUEE_BOOKING_QUEUE_PER_SHOW, default 64]")
    var bookingQueuePerShow: Int?
    @Option(help: "Booking requests that may wait for all shows together before more get 503. [MARQUEE_BOOKING_QUEUE_MAX, default 1024]")
    var bookingQueueMax: Int?

    /// The typed configuration: flags, then the environment, then defaults, all checked.
    /// Secrets (DATABASE_URL, MARQUEE_JWT_KEYS, MARQUEE_ADMIN_PASSWORD) may also come from the
    /// file a `…_FILE` variable names.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let secrets = SecretSource(environment: environment)
        func number(_ flag: Int?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = flag.map(String.init) ?? env(name) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            }
            return value
        }
        var c = AppConfiguration()
        c.host = host ?? env("MARQUEE_HOST") ?? c.host
        c.port = try number(port, "MARQUEE_PORT", 0...65535) ?? c.port
        c.databasePath = databasePath ?? env("MARQUEE_DATABASE_PATH") ?? c.databasePath
        c.databaseURL = try databaseUrl ?? secrets.value("DATABASE_URL")
        c.directDatabaseURL = try directDatabaseUrl ?? secrets.value("MARQUEE_DIRECT_DATABASE_URL")
        if c.directDatabaseURL != nil, c.databaseURL == nil {
            throw ConfigurationError("MARQUEE_DIRECT_DATABASE_URL is set without DATABASE_URL: set both, or neither.")
        }
        if let urls = try databaseReplicaUrls ?? secrets.value("DATABASE_REPLICA_URLS") {
            c.replicaURLs = urls.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard c.databaseURL != nil || c.replicaURLs.isEmpty else {
                throw ConfigurationError("DATABASE_REPLICA_URLS is set without DATABASE_URL: replicas need their primary.")
            }
        }
        if let milliseconds = try number(replicaMaxLagMs, "MARQUEE_REPLICA_MAX_LAG_MS", 0...600_000) {
            c.replicaMaxLag = .milliseconds(milliseconds)
        }
        if let mode = dbPreparedStatements ?? env("MARQUEE_DB_PREPARED_STATEMENTS") {
            guard let parsed = PreparedStatements(rawValue: mode.lowercased()) else {
                throw ConfigurationError("MARQUEE_DB_PREPARED_STATEMENTS must be on, off or auto.")
            }
            c.preparedStatements = parsed
        }
        c.databasePoolSize = try number(dbPoolSize, "MARQUEE_DB_POOL_SIZE", 1...1000) ?? c.databasePoolSize
        c.databasePoolMinimum = try number(dbPoolMin, "MARQUEE_DB_POOL_MIN", 0...1000) ?? c.databasePoolMinimum
        guard c.databasePoolMinimum <= c.databasePoolSize else {
            throw ConfigurationError(
                "MARQUEE_DB_POOL_MIN (\(c.databasePoolMinimum)) is more than MARQUEE_DB_POOL_SIZE (\(c.databasePoolSize)).")
        }
        c.databasePartitions = try number(dbPartitions, "MARQUEE_DB_PARTITIONS", 0...1024) ?? c.databasePartitions
        if let milliseconds = try number(dbWaitMs, "MARQUEE_DB_WAIT_MS", 100...60_000) {
            c.databaseWait = .milliseconds(milliseconds)
        }
        c.statementTimeoutMilliseconds =
            try number(dbStatementTimeoutMs, "MARQUEE_DB_STATEMENT_TIMEOUT_MS", 0...3_600_000)
            ?? c.statementTimeoutMilliseconds
        if let proxies = trustedProxies ?? env("MARQUEE_TRUSTED_PROXIES") {
            c.trustedProxies = try TrustedProxies(parsing: proxies)
        }
        c.maxStreamsPerAddress =
            try number(maxStreamsPerAddress, "MARQUEE_MAX_STREAMS_PER_ADDRESS", 1...100_000) ?? c.maxStreamsPerAddress
        if let seconds = try number(headerTimeoutSeconds, "MARQUEE_HEADER_TIMEOUT_SECONDS", 0...3600) {
            c.headerTimeout = seconds == 0 ? nil : .seconds(seconds)
        }
        c.maxConnections = try number(maxConnections, "MARQUEE_MAX_CONNECTIONS", 1...1_000_000) ?? c.maxConnections
        c.migrateOnStart = !(noMigrate || env("MARQUEE_MIGRATE")?.lowercased() == "false")
        if let keys = try jwtKeys ?? secrets.value("MARQUEE_JWT_KEYS") { c.signingKeys = try SigningKey.parseList(keys) }
        c.tokenIssuer = jwtIssuer ?? env("MARQUEE_JWT_ISSUER") ?? c.tokenIssuer
        c.tokenAudience = jwtAudience ?? env("MARQUEE_JWT_AUDIENCE") ?? c.tokenAudience
        if let seconds = try number(tokenSeconds, "MARQUEE_TOKEN_SECONDS", 60...31_536_000) {
            c.tokenLifetime = .seconds(seconds)
        }
        c.bcryptCost = try number(bcryptCost, "MARQUEE_BCRYPT_COST", 4...31) ?? c.bcryptCost
        if let seconds = try number(holdSeconds, "MARQUEE_HOLD_SECONDS", 1...86_400) { c.holdDuration = .seconds(seconds) }
        c.maxActiveHolds = try number(maxActiveHolds, "MARQUEE_MAX_ACTIVE_HOLDS", 1...10_000) ?? c.maxActiveHolds
        if let seconds = try number(sweepSeconds, "MARQUEE_SWEEP_SECONDS", 1...86_400) {
            c.sweepInterval = .seconds(seconds)
        }
        if let hours = try number(idempotencyHours, "MARQUEE_IDEMPOTENCY_HOURS", 24...8_760) {
            c.idempotencyRetention = .seconds(hours * 3600)
        }
        c.maxSeatsPerBooking =
            try number(maxSeatsPerBooking, "MARQUEE_MAX_SEATS_PER_BOOKING", 1...100_000) ?? c.maxSeatsPerBooking
        c.maxBodyBytes = try number(maxBodyBytes, "MARQUEE_MAX_BODY_BYTES", 1024...(64 << 20)) ?? c.maxBodyBytes
        c.loginFailuresPerEmail =
            try number(loginFailuresPerEmail, "MARQUEE_LOGIN_FAILURES_PER_EMAIL", 1...1_000_000) ?? c.loginFailuresPerEmail
        c.loginFailuresPerAddress =
            try number(loginFailuresPerAddress, "MARQUEE_LOGIN_FAILURES_PER_ADDRESS", 1...1_000_000)
            ?? c.loginFailuresPerAddress
        if let seconds = try number(loginWindowSeconds, "MARQUEE_LOGIN_WINDOW_SECONDS", 1...86_400) {
            c.loginWindow = .seconds(seconds)
        }
        if let level = logLevel ?? env("MARQUEE_LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("MARQUEE_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical.")
            }
            c.logLevel = parsed
        }
        if let seconds = try number(startupTimeoutSeconds, "MARQUEE_STARTUP_TIMEOUT_SECONDS", 1...3600) {
            c.startupTimeout = .seconds(seconds)
        }
        if let seconds = try number(shutdownGraceSeconds, "MARQUEE_SHUTDOWN_GRACE_SECONDS", 0...3600) {
            c.shutdownGrace = .seconds(seconds)
        }
        if let seconds = try number(idleTimeoutSeconds, "MARQUEE_IDLE_TIMEOUT_SECONDS", 1...86_400) {
            c.idleTimeout = .seconds(seconds)
        }
        switch (tlsCertificate ?? env("MARQUEE_TLS_CERTIFICATE"), tlsKey ?? env("MARQUEE_TLS_KEY")) {
        case (let certificate?, let key?): c.tls = TLSFiles(certificateChain: certificate, privateKey: key)
        case (nil, nil): break
        default: throw ConfigurationError("Set both MARQUEE_TLS_CERTIFICATE and MARQUEE_TLS_KEY, or neither.")
        }
        c.webRoot = webRoot ?? env("MARQUEE_WEB_ROOT")
        if let hours = try number(eventRetentionHours, "MARQUEE_EVENT_RETENTION_HOURS", 1...24 * 366) {
            c.eventRetention = .seconds(hours * 3600)
        }
        if let milliseconds = try number(eventPollMs, "MARQUEE_EVENT_POLL_MS", 10...60_000) {
            c.eventPollInterval = .milliseconds(milliseconds)
        }
        if let milliseconds = try number(webhookRetryBaseMs, "MARQUEE_WEBHOOK_RETRY_BASE_MS", 10...3_600_000) {
            c.webhookRetry.base = .milliseconds(milliseconds)
        }
        if let attempts = try number(webhookMaxAttempts, "MARQUEE_WEBHOOK_MAX_ATTEMPTS", 1...100) {
            c.webhookRetry.maxAttempts = attempts
        }
        if let seconds = try number(sseHeartbeatSeconds, "MARQUEE_SSE_HEARTBEAT_SECONDS", 1...300) {
            c.eventHeartbeat = .seconds(seconds)
        }
        if let milliseconds = try number(readCacheMs, "MARQUEE_READ_CACHE_MS", 0...60_000) {
            c.readCacheTTL = .milliseconds(milliseconds)
        }
        c.bookingLimits.lanes = try number(bookingLanes, "MARQUEE_BOOKING_LANES", 1...256) ?? c.bookingLimits.lanes
        c.bookingLimits.maxBatch = try number(bookingBatchMax, "MARQUEE_BOOKING_BATCH_MAX", 1...1_000) ?? c.bookingLimits.maxBatch
        c.bookingLimits.maxWaitingPerShow =
            try number(bookingQueuePerShow, "MARQUEE_BOOKING_QUEUE_PER_SHOW", 1...100_000) ?? c.bookingLimits.maxWaitingPerShow
        c.bookingLimits.maxWaiting =
            try number(bookingQueueMax, "MARQUEE_BOOKING_QUEUE_MAX", 1...1_000_000) ?? c.bookingLimits.maxWaiting
        if let email = env("MARQUEE_ADMIN_EMAIL") {
            guard let password = try secrets.value("MARQUEE_ADMIN_PASSWORD") else {
                throw ConfigurationError("MARQUEE_ADMIN_EMAIL is set: set MARQUEE_ADMIN_PASSWORD (or _FILE) too.")
            }
            c.admin = AdminAccount(email: email, password: password, name: env("MARQUEE_ADMIN_NAME") ?? "Administrator")
        }
        return c
    }
}
