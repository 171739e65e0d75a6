import Crypto
import Foundation
import MarqueeCore

/// The commit-and-reveal draw of a queue's pre-queue (API.md, "Queues"): a random seed is
/// made with the queue and only its SHA-256 (the commitment) is published; at `onSaleAt` the
/// seed is revealed, and the entries that joined before then are ranked by the hex SHA-256
/// of `seed + ":" + entryId`, ascending. Anyone can check both facts from
/// `GET …/queue/order`; `scripts/queue-audit` does.
public enum QueueShuffle {
    /// 32 random bytes as lowercase hex.
    public static func newSeed() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }

    /// The hex SHA-256 of the seed's text (its UTF-8 bytes, not the bytes it encodes).
    public static func commitment(to seed: String) -> String {
        SHA256.hash(data: Data(seed.utf8)).hexString
    }

    /// The key an entry is ranked by.
    public static func key(seed: String, entryId: String) -> String {
        SHA256.hash(data: Data("\(seed):\(entryId)".utf8)).hexString
    }

    /// The entries in rank order.
    public static func order(seed: String, entryIds: [String]) -> [String] {
        entryIds.map { (key: key(seed: seed, entryId: $0), id: $0) }
            .sorted { $0.key < $1.key }
            .map(\.id)
    }
}

extension QueueShuffle {
    /// What an auditor checks once a queue is on sale, from what the API publishes: the seed
    /// against the commitment published before it, and the pre-queue's order against the
    /// seed. Each failure in words; none means the order is the committed one.
    public static func audit(commitment: String, seed: String, entries: [String]) -> [String] {
        var failures: [String] = []
        if QueueShuffle.commitment(to: seed) != commitment.lowercased() {
            failures.append("SHA-256 of the seed is \(QueueShuffle.commitment(to: seed)), not the commitment \(commitment).")
        }
        if Set(entries).count != entries.count { failures.append("An entry is listed more than once.") }
        let expected = order(seed: seed, entryIds: entries)
        if let place = entries.indices.first(where: { entries[$0] != expected[$0] }) {
            failures.append(
                "Rank \(place + 1) is \(entries[place]); by SHA-256(seed:id) it would be \(expected[place]).")
        }
        return failures
    }
}
