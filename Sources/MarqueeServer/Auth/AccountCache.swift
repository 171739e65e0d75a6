import Foundation
import MarqueeCore
import NIOConcurrencyHelpers

/// Accounts recently read for a bearer token, so that a user's burst of requests (a rush of
/// bookings above all) costs one database read, not one each. An account is read again after
/// `timeToLive`: accounts are never deleted through the API, and a role given with
/// `marquee admin` reaches running instances within that time.
final class AccountCache: Sendable {
    private struct Entry {
        let user: User
        let read: ContinuousClock.Instant
    }

    private let entries = NIOLockedValueBox([String: Entry]())
    let timeToLive: Duration
    let capacity: Int

    init(timeToLive: Duration = .seconds(10), capacity: Int = 100_000) {
        self.timeToLive = timeToLive
        self.capacity = capacity
    }

    /// The cached account, or the one `read` finds (kept when it exists).
    func user(id: String, now: ContinuousClock.Instant = .now, read: () async throws -> User?) async rethrows -> User? {
        let cached = entries.withLockedValue { entries in
            entries[id].flatMap { now - $0.read < timeToLive ? $0.user : nil }
        }
        if let cached { return cached }
        guard let user = try await read() else { return nil }
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = Entry(user: user, read: now)
        }
        return user
    }
}
