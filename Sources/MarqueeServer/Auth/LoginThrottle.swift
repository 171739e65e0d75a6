import Foundation
import MarqueeCore
import MarqueeStore

/// Counts failed logins per email and per client address over a sliding window, and refuses
/// further attempts past a limit. Successes are never counted, so a burst of correct logins
/// or signups from one address is never refused. The counts are kept in the database
/// (`login_failures`), so every instance on it sees the same ones: three instances do not
/// give an attacker three budgets, and a restart forgets nothing.
struct LoginThrottle: Sendable {
    let store: any BookingStore
    let perEmail: Int
    let perAddress: Int
    let window: Duration

    /// Throws ``MarqueeError/throttled(retryAfterSeconds:)`` when either count is at its limit.
    func check(email: String, address: String?, now: Date = Date()) async throws {
        let keys = keys(email: email, address: address)
        let counts = try await store.loginFailures(keys: keys.map(\.key), since: now.addingTimeInterval(-window.seconds))
        for (key, limit) in keys {
            if let failures = counts[key], failures.count >= limit {
                let wait = failures.oldest.timeIntervalSince(now) + window.seconds
                throw MarqueeError.throttled(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
        }
    }

    /// Counts a failed attempt. A failure to count it (the database gone at this moment)
    /// does not change the answer the attempt gets.
    func recordFailure(email: String, address: String?, now: Date = Date()) async {
        try? await store.recordLoginFailure(keys: keys(email: email, address: address).map(\.key), at: now)
    }

    private func keys(email: String, address: String?) -> [(key: String, limit: Int)] {
        var keys = [(key: "email:" + EmailAddress.key(email), limit: perEmail)]
        if let address { keys.append((key: "address:" + address, limit: perAddress)) }
        return keys
    }
}
