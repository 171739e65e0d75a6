import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle

/// `marquee`'s commands: parse the command line, bootstrap logging and metrics once, run.
/// The executable's `main` calls ``main()``; nothing else does, so the global bootstraps
/// happen once per process.
public struct MarqueeCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "marquee",
        abstract: "Marquee: seat booking for shows.",
        subcommands: [Serve.self, Migrate.self, Admin.self, QueueAudit.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrating the database first).")

    @OptionGroup var settings: Settings

    func run() async throws {
        let configuration = try settings.resolve()
        let logger = bootstrapLogging(configuration)
        let metrics = MetricsSetup()
        MetricsSystem.bootstrap(metrics.factory)
        let app = try await buildApplication(configuration: configuration, logger: logger, metrics: metrics)
        // On SIGTERM or SIGINT: stop accepting, let requests in flight finish for up to the
        // grace period, then stop the services (the pool last) and exit 0.
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownGrace
        try await ServiceGroup(configuration: group).run()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then exit.")

    @OptionGroup var settings: Settings

    func run() async throws {
        var configuration = try settings.resolve()
        configuration.admin = nil
        let logger = bootstrapLogging(configuration)
        try await withStore(configuration, logger: logger) { store in try await store.migrate() }
        print("The database schema is up to date.")
    }
}

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an admin account, or make an existing account an admin.",
        discussion: "The password is read from MARQUEE_ADMIN_PASSWORD when --password is not given."
    )

    @Option(help: "The account's email.") var email: String
    @Option(help: "The password (8 to 72 bytes); needed only to create the account or change it.")
    var password: String?
    @Option(help: "The name of a new account.") var name = "Administrator"
    @OptionGroup var settings: Settings

    func run() async throws {
        let configuration = try settings.resolve()
        let logger = bootstrapLogging(configuration)
        let password = password ?? ProcessInfo.processInfo.environment["MARQUEE_ADMIN_PASSWORD"]
        let (email, name) = (email, name)
        let user = try await withStore(configuration, logger: logger) { store in
            if configuration.migrateOnStart { try await store.migrate() }
            return try await ensureAdmin(
                in: store, email: email, name: name, password: password, bcryptCost: configuration.bcryptCost)
        }
        print("\(user.email) is an admin (id \(user.id)).")
    }
}

/// JSON lines on standard output, once per process.
func bootstrapLogging(_ configuration: AppConfiguration) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = JSONLogHandler(label: label)
        handler.logLevel = configuration.logLevel
        return handler
    }
    var logger = Logger(label: "marquee")
    logger.logLevel = configuration.logLevel
    return logger
}
