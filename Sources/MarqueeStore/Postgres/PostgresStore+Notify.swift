import Foundation
import Logging
import PostgresNIO

/// Tells every instance that the outbox has new events: a `NOTIFY` after this instance's
/// commits, and a `LISTEN` on a connection of its own for everyone else's. The notification
/// carries nothing; listeners read the outbox from where they were, so a notification that
/// was lost (a dropped connection, a crash between commit and notify) costs only latency.
extension PostgresStore {
    /// Wakes the other instances' listeners. Sent after the commit, outside the change's
    /// transaction, so no booking waits on the notification queue's lock.
    ///
    /// The payload is this store's ``instanceID``, so the listener of the instance that sent it
    /// can pass it over: that instance already read its own change.
    public func notifyChanges() async throws {
        _ = try await client.execute(
            PostgresStatements.Notify(channel: InstanceListener.channel, sender: instanceID), logger: logger)
    }
}
