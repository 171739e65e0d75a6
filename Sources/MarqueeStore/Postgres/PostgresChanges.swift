import Foundation
import Logging
import PostgresNIO

/// Tells every instance that the outbox has new events: a `NOTIFY` after this instance's
/// commits, and a `LISTEN` on a connection of its own for everyone else's. The notification
/// carries nothing; listeners read the outbox from where they were, so a notification that
/// was lost (a dropped connection, a crash between commit and notify) costs only latency.
public enum PostgresChanges {
    public static let channel = "marquee_events"
}

extension PostgresStore {
    /// Wakes the other instances' listeners. Sent after the commit, outside the change's
    /// transaction, so no booking waits on the notification queue's lock.
    ///
    /// The payload is this store's ``instanceID``, so the listener of the instance that sent it
    /// can pass it over: that instance already read its own change.
    public func notifyChanges() async throws {
        _ = try await client.execute(
            PostgresStatements.Notify(channel: PostgresChanges.channel, sender: instanceID), logger: logger)
    }
}

/// Listens for ``PostgresChanges/channel`` through a dedicated connection, and reconnects
/// after a failure (the server restarted, the connection was killed) with a growing pause.
/// `onChange` runs for every notification but those sent by `ignoredSender` (this instance's
/// own, which it has read already), and once after each (re)connect so the reader catches up
/// on what happened while nobody was listening.
public struct PostgresChangeListener: Sendable {
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
                try await connection.listen(on: PostgresChanges.channel) { notifications in
                    logger.info("Listening for changes from other instances", metadata: ["channel": "\(PostgresChanges.channel)"])
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
