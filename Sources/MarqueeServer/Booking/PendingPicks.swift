import MarqueeCore
import NIOConcurrencyHelpers

/// The seats that best-available orders on this instance have picked and not yet booked or
/// given up. When many buyers ask at once they would all pick the same best block, one
/// would get it and the rest would lose it and pick again, round after round. Picking around
/// the seats already picked spreads them over the hall at once. Only when nothing else fits
/// are picked seats offered again (their orders may fail); the booking transaction decides
/// either way, so this changes which seats are tried, never what is sold.
final class PendingPicks: Sendable {
    /// Per show, each picked seat and how many orders in flight hold it.
    private let pending = NIOLockedValueBox<[String: [Int: Int]]>([:])

    /// The best block for `want` around the seats others have picked, recorded as picked; nil
    /// when no block fits even among those.
    func pick(_ want: BestAvailable.Request, in layout: Layout, showId: String, unavailable: Set<Int>) -> [Int]? {
        pending.withLockedValue { pending in
            let picked = pending[showId].map { Set($0.keys) } ?? []
            var choice = BestAvailable.choose(want, in: layout, unavailable: unavailable.union(picked))
            if case .none = choice, !picked.isEmpty {
                choice = BestAvailable.choose(want, in: layout, unavailable: unavailable)
            }
            guard case .seats(let seats) = choice else { return nil }
            for seat in seats { pending[showId, default: [:]][seat, default: 0] += 1 }
            return seats
        }
    }

    /// The order that picked `seats` has its answer.
    func release(_ seats: [Int], showId: String) {
        pending.withLockedValue { pending in
            for seat in seats {
                let left = (pending[showId]?[seat] ?? 1) - 1
                pending[showId]?[seat] = left > 0 ? left : nil
            }
            if pending[showId]?.isEmpty == true { pending[showId] = nil }
        }
    }
}
