import Foundation
import MarqueeCore
import NIOConcurrencyHelpers

/// What this instance knows of the queues, refreshed by every beat of ``QueueKeeper``: each
/// queue's snapshot, the pace it was seen to admit at, and entries read lately. A position
/// poll is answered from here, so polling costs no query (DESIGN.md, "Queues").
final class QueueBoard: Sendable {
    /// How long admission is watched to measure its pace.
    static let paceWindow: TimeInterval = 60

    private struct Known {
        var snapshot: QueueSnapshot
        /// The watermark as seen, oldest first, while the queue admitted.
        var samples: [(at: Date, serving: Int)] = []
    }

    private struct EntryKey: Hashable {
        var showId: String
        var userId: String
    }

    private let queues = NIOLockedValueBox<[String: Known]>([:])
    private let entries = NIOLockedValueBox<[EntryKey: (entry: QueueEntryRecord, readAt: Date)]>([:])

    /// Takes a beat's snapshots.
    func update(_ snapshots: [QueueSnapshot], at now: Date) {
        queues.withLockedValue { queues in
            for snapshot in snapshots { Self.record(snapshot, at: now, in: &queues) }
        }
    }

    /// Takes one queue's snapshot, read on its own (a queue made since the last beat).
    func remember(_ snapshot: QueueSnapshot, at now: Date) {
        queues.withLockedValue { Self.record(snapshot, at: now, in: &$0) }
    }

    private static func record(_ snapshot: QueueSnapshot, at now: Date, in queues: inout [String: Known]) {
        var known = queues[snapshot.showId] ?? Known(snapshot: snapshot)
        known.snapshot = snapshot
        if snapshot.state(at: now) == .open {
            known.samples.append((now, snapshot.serving))
            known.samples.removeAll { now.timeIntervalSince($0.at) > paceWindow }
        } else {
            known.samples = []
        }
        queues[snapshot.showId] = known
    }

    func snapshot(showId: String) -> QueueSnapshot? {
        queues.withLockedValue { $0[showId]?.snapshot }
    }

    /// Admissions per second over the last minute of admitting, once 5 s of it were seen.
    func measuredPerSecond(showId: String) -> Double? {
        queues.withLockedValue { queues in
            guard let samples = queues[showId]?.samples, let first = samples.first, let last = samples.last else { return nil }
            let span = last.at.timeIntervalSince(first.at)
            guard span >= 5 else { return nil }
            return Double(last.serving - first.serving) / span
        }
    }

    /// An entry read before that cannot have changed since: ranked and still waiting (nothing
    /// about it moves until the watermark reaches it), or unranked before the draw. Anything
    /// else is good for a second (an admitted entry becomes done when its pass books).
    func entry(showId: String, userId: String, now: Date) -> QueueEntryRecord? {
        guard let queue = snapshot(showId: showId) else { return nil }
        return entries.withLockedValue { entries -> QueueEntryRecord? in
            guard let (entry, readAt) = entries[EntryKey(showId: showId, userId: userId)] else { return nil }
            let settled: Bool =
                if let rank = entry.rank { rank > queue.serving && !queue.closed } else { !queue.ranked }
            return settled || now.timeIntervalSince(readAt) < 1 ? entry : nil
        }
    }

    func remember(_ entry: QueueEntryRecord, at now: Date) {
        entries.withLockedValue { $0[EntryKey(showId: entry.showId, userId: entry.userId)] = (entry, now) }
    }

    /// After this instance booked with the entry's pass: the entry is done.
    func forgetEntry(showId: String, userId: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: EntryKey(showId: showId, userId: userId)) }
    }

    /// Forgets the entries of queues that are gone from the beats (closed long ago).
    func prune(keeping showIds: Set<String>) {
        queues.withLockedValue { $0 = $0.filter { showIds.contains($0.key) } }
        entries.withLockedValue { $0 = $0.filter { showIds.contains($0.key.showId) } }
    }
}
