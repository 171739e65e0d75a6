import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle

/// Builds the application that `marquee serve` runs and the tests exercise: the store
/// (SQLite or PostgreSQL), its migrations and admin bootstrap before the server starts,
/// and the routes generated from openapi.yaml behind Marquee's middleware.
public func buildApplication(
    configuration: AppConfiguration,
    logger: Logger,
    metrics setup: MetricsSetup = MetricsSetup(),
    clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    let metrics = MarqueeMetrics(factory: setup.factory)
    let opened = try openStore(configuration, logger: logger, metrics: metrics)
    let keys = try signingKeys(configuration)
    let passwords = PasswordHasher(cost: configuration.bcryptCost)
    let changes = OutboxSignal()
    let hub = LiveStreamHub()
    let cache = ReadCache(timeToLive: configuration.readCacheTTL)
    let revocations = SessionRevocations()
    let queueBoard = QueueBoard()
    let queueStreams = LiveStreamHub()
    let handlers = APIHandlers(
        store: opened.store,
        tokens: await TokenAuthority(
            keys: keys, issuer: configuration.tokenIssuer, audience: configuration.tokenAudience,
            lifetime: configuration.tokenLifetime),
        passwords: passwords,
        throttle: LoginThrottle(
            store: opened.store, perEmail: configuration.loginFailuresPerEmail, perAddress: configuration.loginFailuresPerAddress,
            window: configuration.loginWindow),
        configuration: configuration,
        metrics: metrics,
        registry: setup.registry,
        clock: clock,
        events: hub,
        queueStreams: queueStreams,
        accounts: AccountCache(),
        desk: BookingDesk(
            store: opened.store,
            coalescer: BookingCoalescer(
                store: opened.store, limits: configuration.bookingLimits,
                observer: .init(batch: metrics.bookingBatch(size:), refused: metrics.bookingRefused)),
            rules: .init(
                maxSeatsPerBooking: configuration.maxSeatsPerBooking, holdDuration: configuration.holdDuration,
                maxActiveHolds: configuration.maxActiveHolds),
            transcript: .api, metrics: metrics, cache: cache, changes: changes, plans: SeatPlans(store: opened.store),
            sales: ShowSales(store: opened.store), passes: QueuePasses(keys: keys), queues: queueBoard,
            queueJoins: QueueJoins(store: opened.store, clock: clock), clock: clock),
        revocations: revocations
    )

    let router = Router(context: MarqueeRequestContext.self)
    router.add(middleware: RequestScopeMiddleware(trustedProxies: configuration.trustedProxies))
    router.add(middleware: ObservationMiddleware(metrics: metrics))
    let allowed = AllowedMethods()
    router.add(middleware: ProblemMiddleware(allowed: allowed))
    let replicated = (opened.store as? PostgresStore)?.hasReplicas == true
    if replicated { router.add(middleware: ConsistencyMiddleware(store: opened.store)) }
    if let assets = try webAssets(configuration, logger: logger) {
        router.add(middleware: WebAppMiddleware(assets: assets))
    }
    router.add(middleware: ReadCacheMiddleware(cache: cache, sharedMaxAge: 1, replicated: replicated))
    router.add(
        middleware: BodyLimitMiddleware(
            maxBytes: configuration.maxBodyBytes, larger: ["/api/venues": configuration.maxLayoutBytes]))
    router.add(middleware: DatabaseDeadlineMiddleware(budget: configuration.databaseWait))
    // Compact JSON: the generator's default pretty-prints, which doubled a seat map's bytes
    // (a seat per indented line). Keys stay sorted, so equal content gives equal bytes and ETags.
    try handlers.registerHandlers(
        on: router, serverURL: Servers.Server1.url(),
        configuration: Configuration(dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [.sortedKeys]))
    allowed.load(router.routes.map { (path: "\($0.path)", method: $0.method.rawValue) })

    let started = StartupGate()
    let sweeper = HoldSweeper(
        store: opened.store, interval: configuration.sweepInterval, logger: logger, metrics: metrics, clock: clock,
        started: started, changes: changes,
        retention: RetentionSweep(
            store: opened.store, keyRetention: configuration.idempotencyRetention,
            eventRetention: configuration.eventRetention, loginWindow: configuration.loginWindow))
    let reader = OutboxReader(
        store: opened.store, hub: hub, cache: cache, changes: changes, logger: logger, started: started,
        pollInterval: configuration.eventPollInterval, heartbeat: configuration.eventHeartbeat)
    let webhooks = WebhookDispatcher(
        store: opened.store, policy: configuration.webhookRetry, changes: changes, logger: logger, started: started,
        clock: clock)
    let sessions = SessionRevocationFeed(
        revocations: revocations, store: opened.store, interval: configuration.sessionPollInterval, logger: logger,
        started: started)
    let queueKeeper = QueueKeeper(
        store: opened.store, board: queueBoard, streams: queueStreams, metrics: metrics, clock: clock,
        interval: configuration.queueBeat, lease: configuration.queueKeeperLease, keeperId: Identifier.make(),
        logger: logger, started: started)
    var services = opened.services + [sweeper, reader, webhooks, sessions, queueKeeper]
    if let postgres = opened.store as? PostgresStore, let url = configuration.directDatabaseURL ?? configuration.databaseURL {
        // A pooler in transaction mode keeps no LISTEN: the listener has the primary itself.
        let listener = InstanceListener(
            configuration: try PostgresURL.connectionConfiguration(url), logger: logger, ignoring: postgres.instanceID,
            onChange: { reader.wake() })
        services.append(
            InstanceNotifier(store: postgres, listener: listener, changes: changes, logger: logger, started: started))
    }
    // Headers are limited as API.md says, malformed ones answered as problems, and a client
    // that sends nothing for the idle timeout is let go (a response in progress, such as a
    // live stream, is never cut by it).
    let connections = ConnectionLimiter(limit: configuration.maxConnections)
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [
            MalformedRequestHandler(
                headTimeout: configuration.headerTimeout.map { .nanoseconds(Int64($0.nanoseconds)) },
                laterHeadTimeout: configuration.idleTimeout.map { .nanoseconds(Int64($0.nanoseconds)) }),
            ConnectionLimitHandler(limiter: connections),
        ],
        idleTimeout: configuration.idleTimeout.map { .nanoseconds(Int64($0.nanoseconds)) },
        httpDecoderConfiguration: .init(
            maxHeaderFieldSize: MalformedRequestHandler.maxHeaderBytes,
            maxHeaderListSize: MalformedRequestHandler.maxHeaderBytes))
    let database = configuration.databaseURL.map { _ in "PostgreSQL" } ?? "SQLite \(configuration.databasePath)"
    let scheme = configuration.tls == nil ? "http" : "https"
    var app = Application(
        router: router,
        server: try configuration.tls.map { try .tls(.http1(configuration: http1), tlsConfiguration: try serverTLS($0)) }
            ?? .http1(configuration: http1),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Marquee"),
        services: services,
        onServerRunning: { channel in
            // Said once the socket is bound, with the port it really got (--port 0 picks one).
            let url = "\(scheme)://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)"
            logger.notice("Marquee listening on \(url) (\(database))", metadata: ["url": "\(url)"])
        },
        logger: logger
    )
    app.beforeServerStarts {
        // An unreachable database fails the start within the timeout, saying what to check,
        // rather than leaving the process retrying connections in silence.
        try await withDeadline(
            configuration.startupTimeout,
            "The database did not answer within \(configuration.startupTimeout.components.seconds) s. Check "
                + "DATABASE_URL (or the SQLite path) and that the database is up; MARQUEE_STARTUP_TIMEOUT_SECONDS waits longer."
        ) {
            try await DatabaseStartupCheck.refuseUnannouncedPooler(configuration, logger: logger)
            if configuration.migrateOnStart { try await opened.store.migrate() }
            if let postgres = opened.store as? PostgresStore {
                await DatabaseStartupCheck.run(postgres, configuration: configuration, logger: logger)
            }
            if let admin = configuration.admin, (opened.store as? SQLiteStore)?.isReadOnly != true {
                _ = try await ensureAdmin(
                    in: opened.store, email: admin.email, name: admin.name, password: admin.password,
                    bcryptCost: configuration.bcryptCost)
                logger.info("Admin account is ready", metadata: ["email": "\(admin.email)"])
            }
            // Before the first request: a token logged out before a restart stays refused.
            try await revocations.catchUp(from: opened.store, now: Date())
        }
        started.open()
    }
    return app
}

/// The store the configuration names, and the services that must run while it is used.
func openStore(_ configuration: AppConfiguration, logger: Logger, metrics: MarqueeMetrics? = nil) throws -> (
    store: any BookingStore, services: [any Service]
) {
    guard let url = configuration.databaseURL else {
        let store = try SQLiteStore(path: configuration.databasePath)
        if store.isReadOnly {
            logger.warning(
                "The SQLite database cannot be written (a read-only file or disk): serving reads, answering writes 503.",
                metadata: ["path": "\(configuration.databasePath)"])
        }
        return (store, [])
    }
    var postgres = try PostgresURL.configuration(url)
    postgres.options.maximumConnections = configuration.databasePoolSize
    postgres.options.minimumConnections = configuration.databasePoolMinimum
    // A database that does not accept the connection in time counts as away; the request's
    // own deadline is shorter still.
    postgres.options.connectTimeout = .seconds(3)
    // A slow statement (a lock held too long, a bad plan) is stopped by PostgreSQL itself, so
    // it cannot hold a show's lock without end after its request has given up. Through a
    // pooler the setting is the pooler's to make on its server connections: PgBouncer refuses
    // a startup parameter it does not know (and one it is told to ignore is dropped), so the
    // server checks at start what its connections really have (``DatabaseStartupCheck``).
    if configuration.statementTimeoutMilliseconds > 0, configuration.directDatabaseURL == nil {
        postgres.options.additionalStartupParameters.append(
            ("statement_timeout", "\(configuration.statementTimeoutMilliseconds)"))
    }
    let replicas = try configuration.replicaURLs.map { url in
        var replica = try PostgresURL.configuration(url)
        replica.options.maximumConnections = configuration.databasePoolSize
        replica.options.minimumConnections = configuration.databasePoolMinimum
        replica.options.connectTimeout = .seconds(1)
        replica.options.additionalStartupParameters = postgres.options.additionalStartupParameters
        return (name: PostgresURL.hostAndPort(url), configuration: replica)
    }
    let store = PostgresStore(
        configuration: postgres, logger: logger, operationLimit: configuration.databaseOperationLimit,
        direct: try configuration.directDatabaseURL.map(PostgresURL.connectionConfiguration),
        preparedStatements: configuration.preparedStatements,
        replicas: replicas.isEmpty
            ? nil
            : ReplicaSettings(
                replicas: replicas, maxLag: configuration.replicaMaxLag,
                observer: metrics.map { metrics in
                    ReplicaObserver(
                        read: { replica in metrics.databaseRead(onReplica: replica != nil) },
                        lag: { replica, seconds in metrics.replicaLag(replica, seconds: seconds) })
                }),
        partitions: configuration.databasePartitions)
    return (store, [PoolService(store: store)])
}

/// The web app to serve: the configured folder (which must hold one), else the one built
/// into the executable's resources. Without either the server still serves the API.
func webAssets(_ configuration: AppConfiguration, logger: Logger) throws -> WebAssets? {
    if let configured = configuration.webRoot {
        return try WebAssets(root: URL(fileURLWithPath: configured))
    }
    guard let root = WebAssets.bundledRoot() else {
        logger.warning("The web app's files were not found beside the executable: serving the API only. Set MARQUEE_WEB_ROOT.")
        return nil
    }
    return try WebAssets(root: root)
}

/// The keys tokens are signed with. The embedded default makes its own; with PostgreSQL,
/// several instances must share keys, so they have to be configured.
func signingKeys(_ configuration: AppConfiguration) throws -> [SigningKey] {
    if !configuration.signingKeys.isEmpty { return configuration.signingKeys }
    guard configuration.databaseURL == nil else {
        throw ConfigurationError(
            "DATABASE_URL is set but no JWT signing key is: set MARQUEE_JWT_KEYS to kid:secret "
                + "(a secret of at least \(SigningKey.minimumSecretBytes) bytes), the same on every instance.")
    }
    return [try SigningKey.embedded(besideDatabaseAt: configuration.databasePath)]
}

/// Runs the PostgreSQL connection pool for as long as the application runs.
struct PoolService: Service {
    let store: PostgresStore

    func run() async throws {
        // Shut down after the HTTP server (services stop in reverse order), so requests in
        // flight keep their connections until they finish.
        await cancelWhenGracefulShutdown {
            await store.run()
        }
    }
}

/// The TLS server configuration from PEM files, with a message that names the file that
/// could not be read.
func serverTLS(_ files: TLSFiles) throws -> TLSConfiguration {
    let chain: [NIOSSLCertificate]
    let key: NIOSSLPrivateKey
    do {
        chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain)
    } catch {
        throw ConfigurationError("Cannot read the TLS certificate chain \(files.certificateChain) (PEM expected).")
    }
    do {
        key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
    } catch {
        throw ConfigurationError("Cannot read the TLS private key \(files.privateKey) (PEM expected).")
    }
    return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
}

/// Runs `work`, or gives up after `limit` with a ``ConfigurationError`` carrying `message`.
func withDeadline(_ limit: Duration, _ message: String, _ work: @escaping @Sendable () async throws -> Void)
    async throws
{
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await work()
            return true
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return false
        }
        defer { group.cancelAll() }
        guard try await group.next() == true else { throw ConfigurationError(message) }
    }
}
