import Foundation

/// Where an entry stands, worked out from its record and the queue's cached snapshot: no
/// query. What `GET /api/shows/{id}/queue/me` answers.
public struct QueuePlace: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case waiting, admitted, done, expired, closed
    }

    public var state: State
    /// Ranks before this one still to be admitted. Before the draw (no rank yet), everyone
    /// else in the pre-queue, since any of them may come first.
    public var aheadOfYou: Int
    /// Seconds until admission, as a range; nil when unknown (paused, closed, not waiting).
    public var estimatedWait: ClosedRange<Int>?
    /// Whether the people ahead will probably take the seats that are left.
    public var likelySoldOut: Bool
    /// While admitted: when the pass runs out.
    public var passExpiresAt: Date?

    public init(
        state: State, aheadOfYou: Int, estimatedWait: ClosedRange<Int>?, likelySoldOut: Bool, passExpiresAt: Date?
    ) {
        self.state = state
        self.aheadOfYou = aheadOfYou
        self.estimatedWait = estimatedWait
        self.likelySoldOut = likelySoldOut
        self.passExpiresAt = passExpiresAt
    }

    /// The entry's place at `now`. `measuredPerSecond` is the admission rate this instance
    /// has seen lately (nil before it has seen enough); the estimate's range runs between it
    /// and the configured rate, which admission never exceeds.
    public static func of(
        _ entry: QueueEntryRecord, in queue: QueueSnapshot, now: Date, measuredPerSecond: Double?
    ) -> QueuePlace {
        if entry.used { return QueuePlace(state: .done, aheadOfYou: 0, estimatedWait: nil, likelySoldOut: false, passExpiresAt: nil) }
        if let rank = entry.rank, rank <= queue.serving {
            let expires = (entry.admittedAt ?? now).addingTimeInterval(TimeInterval(queue.passSeconds))
            return expires > now
                ? QueuePlace(state: .admitted, aheadOfYou: 0, estimatedWait: nil, likelySoldOut: false, passExpiresAt: expires)
                : QueuePlace(state: .expired, aheadOfYou: 0, estimatedWait: nil, likelySoldOut: false, passExpiresAt: nil)
        }
        if queue.closed {
            return QueuePlace(state: .closed, aheadOfYou: 0, estimatedWait: nil, likelySoldOut: true, passExpiresAt: nil)
        }
        let ahead = entry.rank.map { $0 - queue.serving - 1 } ?? max(0, queue.entries - 1)
        return QueuePlace(
            state: .waiting, aheadOfYou: ahead,
            estimatedWait: estimate(rank: entry.rank, ahead: ahead, in: queue, now: now, measuredPerSecond: measuredPerSecond),
            likelySoldOut: likelySoldOut(ahead: ahead, in: queue), passExpiresAt: nil)
    }

    /// Seconds until a waiting entry is admitted. Before the draw: from the time left until
    /// `onSaleAt` (first in line) to that plus the whole pre-queue at the configured rate (last).
    static func estimate(rank: Int?, ahead: Int, in queue: QueueSnapshot, now: Date, measuredPerSecond: Double?)
        -> ClosedRange<Int>?
    {
        let perSecond = Double(queue.admitPerMinute) / 60
        guard let rank else {
            let untilOpen = max(0, queue.onSaleAt.timeIntervalSince(now))
            let low = Int(untilOpen.rounded(.down))
            return low...Int((untilOpen + Double(queue.entries) / perSecond).rounded(.up))
        }
        guard rank > queue.serving, queue.state(at: now) == .open else { return nil }
        let turns = Double(ahead + 1)
        let fastest = turns / perSecond
        let measured = measuredPerSecond.flatMap { $0 > 0 ? turns / $0 : nil } ?? fastest
        let low = min(fastest, measured) * 0.9
        let high = max(fastest, measured) * 1.1
        return Int(low.rounded(.down))...Int(high.rounded(.up))
    }

    /// True when the people ahead, taking the seats a pass booking has taken on average so
    /// far (1 before any), would take every seat left.
    static func likelySoldOut(ahead: Int, in queue: QueueSnapshot) -> Bool {
        guard queue.seatsLeft > 0 else { return true }
        let perBooking = queue.passBookings > 0 ? Double(queue.passSeats) / Double(queue.passBookings) : 1
        return Double(ahead) * perBooking >= Double(queue.seatsLeft)
    }
}
