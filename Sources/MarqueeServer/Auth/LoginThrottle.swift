import Foundation
import MarqueeCore

/// Counts failed logins per email and per client address over a sliding window, and refuses
/// further attempts past a limit. Successes are never counted, so a burst of correct logins
/// or signups from one address is never refused. Counts live in this process: with several
/// instances each keeps its own.
actor LoginThrottle {
    private let perEmail: Int
    private let perAddress: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(perEmail: Int, perAddress: Int, window: Duration) {
        self.perEmail = perEmail
        self.perAddress = perAddress
        self.window = window.seconds
    }

    /// Throws ``MarqueeError/throttled(retryAfterSeconds:)`` when either count is at its limit.
    func check(email: String, address: String?, now: Date = Date()) throws(MarqueeError) {
        for (key, limit) in keys(email: email, address: address) {
            let recent = prune(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                throw .throttled(retryAfterSeconds: max(1, Int((oldest.timeIntervalSince(now) + window).rounded(.up))))
            }
        }
    }

    func recordFailure(email: String, address: String?, now: Date = Date()) {
        for (key, _) in keys(email: email, address: address) {
            failures[key, default: []].append(now)
        }
        if failures.count > 100_000 {  // bound memory under a spray of made-up emails
            failures = failures.compactMapValues { dates in
                let recent = dates.filter { now.timeIntervalSince($0) < window }
                return recent.isEmpty ? nil : recent
            }
        }
    }

    private func keys(email: String, address: String?) -> [(String, Int)] {
        var keys = [("email:" + EmailAddress.key(email), perEmail)]
        if let address { keys.append(("address:" + address, perAddress)) }
        return keys
    }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
