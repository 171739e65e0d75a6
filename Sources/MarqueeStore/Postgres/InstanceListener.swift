import Foundation
import Logging
import PostgresNIO

/// Listens for ``channel`` through a dedicated connection, and reconnects
/// after a failure (the server restarted, the connection was killed) with a growing pause.
/// `onChange` runs for every notification but those sent by `ignoredSender` (this instance's
/// own, which it has read already), and once after each (re)connect so the reader catches up
/// on what happened while nobody was listening.
public struct InstanceListener: Sendable {
    /// The channel every instance notifies and listens on.
    public static let channel = "marquee_events"

    let configuration: PostgresConnection.Configuration
    let logger: Logger
    let ignoredSender: String?
    let onChange: @Sendable () -> Void

    public init(
        configuration: PostgresConnection.Configuration, logger: Logger, ignoring ignoredSender: String? = nil,
        onChange: @escaping @Sendable () -> Void
    ) {
        self.configuration = configuration
        self.logger = logger
        self.ignoredSender = ignoredSender
        self.onChange = onChange
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var pause: Duration = .milliseconds(100)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: connectionID, logger: logger)
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: Self.channel) { notifications in
                    logger.info("Listening for changes from other instances", metadata: ["channel": "\(Self.channel)"])
                    pause = .milliseconds(100)
                    onChange()
                    for try await notification in notifications where notification.payload != ignoredSender {
                        onChange()
                    }
                }
                if Task.isCancelled { return }
                logger.warning("The change listener's connection ended; reconnecting")
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "The change listener lost its connection; reconnecting",
                    metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(pause)"])
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }
}
