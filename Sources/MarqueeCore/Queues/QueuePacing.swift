import Foundation

/// The pace of admission: from `onSaleAt`, ranks are admitted in order at `admitPerMinute`,
/// spread evenly over each minute (API.md, "Queues"). The keeper of a queue's watermark
/// (one instance at a time) asks this on every tick, on both engines.
public enum QueuePacing {
    /// How far admission may catch up after a pause in ticking (a keeper's instance died and
    /// another took over): one second's worth, so a failover admits no burst.
    public static let catchUp: TimeInterval = 1

    /// How many ranks to admit at `now`, and when the next one is due after them.
    /// - `nextAdmitAt` nil: admission starts now (the queue just opened or was resumed).
    /// - Nobody waiting: nothing is banked for later; the next one who comes is due at once.
    public static func due(
        serving: Int, entries: Int, nextAdmitAt: Date?, now: Date, perMinute: Int
    ) -> (admit: Int, nextAdmitAt: Date) {
        let interval = 60 / Double(max(1, perMinute))
        var next = nextAdmitAt ?? now
        next = max(next, now.addingTimeInterval(-catchUp))
        let waiting = entries - serving
        guard waiting > 0 else { return (0, max(next, now)) }
        guard now >= next else { return (0, next) }
        let due = Int((now.timeIntervalSince(next) / interval).rounded(.down)) + 1
        let admit = min(due, waiting)
        return (admit, next.addingTimeInterval(Double(admit) * interval))
    }
}

/// One beat of a queue's keeper, decided from what the store read under the queue's lock.
/// The stores write back what this says; the draw of the pre-queue comes first, when due.
public struct QueueBeat: Sendable, Equatable {
    /// The queue after the beat.
    public var queue: QueueSnapshot
    /// When the next rank is due; nil while admission is stopped (scheduled, paused, closed).
    public var nextAdmitAt: Date?
    /// The ranks this beat admits.
    public var admitted: ClosedRange<Int>?

    /// Whether anything a client sees changed.
    public func changes(_ before: QueueSnapshot) -> Bool {
        queue.closed != before.closed || queue.serving != before.serving || queue.seatsLeft != before.seatsLeft
    }

    /// - `activeSeats`: seats confirmed, held and unexpired, or blocked.
    /// - `firmSeats`: seats confirmed or blocked. When they are every seat, no hold can lapse
    ///   to free one, so the queue closes: nobody else is admitted, and whoever waits learns
    ///   it at once.
    public init(
        _ before: QueueSnapshot, nextAdmitAt: Date?, totalSeats: Int, activeSeats: Int, firmSeats: Int, now: Date
    ) {
        var queue = before
        queue.seatsLeft = max(0, totalSeats - activeSeats)
        if firmSeats >= totalSeats { queue.closed = true }
        self.queue = queue
        self.nextAdmitAt = nil
        self.admitted = nil
        guard queue.state(at: now) == .open else { return }
        let (admit, next) = QueuePacing.due(
            serving: queue.serving, entries: queue.entries, nextAdmitAt: nextAdmitAt, now: now,
            perMinute: queue.admitPerMinute)
        self.nextAdmitAt = next
        if admit > 0 {
            self.admitted = (queue.serving + 1)...(queue.serving + admit)
            self.queue.serving += admit
        }
    }
}
