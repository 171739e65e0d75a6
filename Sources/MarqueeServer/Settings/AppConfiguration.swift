import Foundation
import Logging
import MarqueeCore
import MarqueeStore

/// Every setting of a running Marquee, read once in `main` from flags and the environment.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The SQLite file used when no `databaseURL` is set.
    public var databasePath = "marquee.sqlite"
    /// `postgres://…`: use PostgreSQL instead of the embedded SQLite file.
    public var databaseURL: String?
    /// A direct connection to the primary for migrations and `LISTEN`, set when
    /// `databaseURL` names a pooler in transaction mode (PgBouncer), which keeps no session.
    public var directDatabaseURL: String?
    /// Streaming replicas that may serve the public GETs (the show list, seat maps).
    public var replicaURLs: [String] = []
    /// The most a read without a consistency token may be behind the primary.
    public var replicaMaxLag: Duration = .seconds(1)
    /// Whether the store's hot statements are named and prepared once per connection.
    public var preparedStatements: PreparedStatements = .auto
    /// Largest number of PostgreSQL connections one instance opens.
    public var databasePoolSize = 20
    /// PostgreSQL connections kept open even while idle (at most ``databasePoolSize``), so
    /// that an on-sale's first requests find them open; one lost is opened again at once.
    /// 0: opened on demand and closed after a minute idle, as PostgresNIO does.
    public var databasePoolMinimum = 0
    /// Hash partitions of bookings and seat claims (PostgreSQL), made when migration 13 runs.
    public var databasePartitions = 16
    /// The largest body of `POST /api/venues` (a seating plan), 16 MiB as API.md says.
    public var maxLayoutBytes = 16 * 1024 * 1024
    /// Live streams one client address may have open at once (429 past it).
    public var maxStreamsPerAddress = 20
    /// Proxies whose `X-Forwarded-For` names the client (for throttling and the access log).
    public var trustedProxies = TrustedProxies()
    /// How long a request may wait on the database in all (a connection, statements, its
    /// booking batch) before it is answered 503 `database-unavailable`.
    public var databaseWait: Duration = .seconds(2)
    /// How long work outside a request (sweeps, the outbox, webhooks) waits per operation.
    public var databaseOperationLimit: Duration = .seconds(5)
    /// PostgreSQL's `statement_timeout` for every statement but migrations; 0 is none.
    public var statementTimeoutMilliseconds = 5_000
    /// Run schema migrations at start.
    public var migrateOnStart = true

    /// JWT signing keys; the first signs, all verify. Empty with SQLite: a key is generated
    /// once and kept beside the database file. Empty with PostgreSQL: the server refuses to start.
    public var signingKeys: [SigningKey] = []
    public var tokenIssuer = "marquee"
    public var tokenAudience = "marquee"
    public var tokenLifetime: Duration = .seconds(3600)
    public var bcryptCost = 12

    public var holdDuration: Duration = .seconds(120)
    /// Active holds one user may have at once, so nobody can hoard a show.
    public var maxActiveHolds = 5
    /// How often the sweeper marks lapsed holds EXPIRED and forgets old idempotency keys.
    public var sweepInterval: Duration = .seconds(15)
    /// How long idempotency keys are kept (at least 24 hours, per API.md).
    public var idempotencyRetention: Duration = .seconds(24 * 3600)
    public var maxSeatsPerBooking = 10
    public var maxBodyBytes = 64 * 1024

    /// Failed logins allowed per email, and per client address, within `loginWindow`.
    public var loginFailuresPerEmail = 10
    public var loginFailuresPerAddress = 100
    public var loginWindow: Duration = .seconds(15 * 60)

    /// An admin account that must exist: created, or its password and role set at start.
    public var admin: AdminAccount?
    public var logLevel: Logger.Level = .info
    /// PEM certificate chain and private key: serve HTTPS in the process (for deployments
    /// without a proxy that terminates TLS).
    public var tls: TLSFiles?
    /// How long start-up may wait for the database before giving up with a clear error.
    public var startupTimeout: Duration = .seconds(30)
    /// How long SIGTERM waits for requests in flight before cancelling them.
    public var shutdownGrace: Duration = .seconds(10)
    /// A connection that sends nothing this long is closed; nil never closes one.
    public var idleTimeout: Duration? = .seconds(60)
    /// A new connection whose first request's headers have not all arrived after this gets
    /// 408 and is closed (slowloris); nil waits for ever.
    public var headerTimeout: Duration? = .seconds(10)
    /// Connections open at once; past it a new one is closed at once.
    public var maxConnections = 10_000
    /// The built web app to serve at `/`; nil: the copy built into the executable's resources.
    public var webRoot: String?
    /// How long outbox events are kept (live streams resume from them; CDC reads them).
    public var eventRetention: Duration = .seconds(7 * 24 * 3600)
    /// How often the outbox is read when no change was announced: the bound on how late an
    /// event can be when a notification is lost.
    public var eventPollInterval: Duration = .seconds(1)
    /// How often other instances' logouts are read: within 2 s every instance refuses a
    /// revoked token (API.md, "Sessions (v2)").
    public var sessionPollInterval: Duration = .seconds(1)
    /// How often each instance beats the queues (``QueueKeeper``): admits what is due where
    /// it keeps the watermark, and reads every queue for positions.
    public var queueBeat: Duration = .milliseconds(250)
    /// How long a keeper's hold on a queue's watermark lasts without a beat: another instance
    /// takes over within this (and one beat) when the keeper's instance dies.
    public var queueKeeperLease: Duration = .seconds(3)
    /// How often an idle live stream sends a comment line, so proxies keep it open.
    public var eventHeartbeat: Duration = .seconds(15)
    /// Webhook retries: the first pause, doubling to an hour, for at most this many attempts.
    public var webhookRetry = RetryPolicy(base: .seconds(1), cap: .seconds(3600), maxAttempts: 10)
    /// How long show lists and seat maps may be served from memory without an event saying
    /// they changed; zero turns the read cache off.
    public var readCacheTTL: Duration = .seconds(2)
    /// Coalescing and admission of booking requests.
    public var bookingLimits = BookingLimits()

    public init() {}
}

/// An admin account brought into being at start (`MARQUEE_ADMIN_EMAIL`, `MARQUEE_ADMIN_PASSWORD`).
public struct AdminAccount: Sendable {
    public var email: String
    public var password: String
    public var name: String

    public init(email: String, password: String, name: String = "Administrator") {
        self.email = email
        self.password = password
        self.name = name
    }
}

/// Where the TLS certificate chain and private key (PEM) are.
public struct TLSFiles: Sendable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}

/// A configuration the server cannot start with, with what to set instead.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Reads settings that may be secrets: from the variable itself, or from the file that
/// `NAME_FILE` names (as container platforms mount secrets). Setting both is an error.
public struct SecretSource: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public func value(_ name: String) throws -> String? {
        let direct = environment[name].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = environment[name + "_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) else { return direct }
        guard direct == nil else { throw ConfigurationError("Set \(name) or \(name)_FILE, not both.") }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw ConfigurationError("\(name)_FILE names an empty file: \(path)") }
            return value
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("Cannot read \(name)_FILE (\(path)).")
        }
    }
}
