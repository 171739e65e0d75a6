import MarqueeCore
import NIOConcurrencyHelpers

/// The seats that best-available orders on this instance have picked and not yet booked or
/// given up. When many buyers ask at once they would all pick the same best block, one
/// would get it and the rest would lose it and pick again, round after round. Picking around
/// the seats already picked spreads them over the hall at once. Only when nothing else fits
/// are picked seats offered again (their orders may fail); the booking transaction decides
/// either way, so this changes which seats are tried, never what is sold.
final class PendingPicks: Sendable {
    /// Per show, how many orders in flight hold each seat (indexed by seat number), the seats
    /// held by any, and how many holds there are in all. Changed in place, never copied.
    private struct Picked {
        var counts: [UInt16]
        var held: SeatMask
        var total = 0
    }

    private let pending = NIOLockedValueBox<[String: Picked]>([:])

    /// The best block for `want` around the seats others have picked, recorded as picked; nil
    /// when no block fits even among those.
    func pick(_ want: BestAvailable.Request, in index: SeatIndex, showId: String, unavailable: SeatMask) -> [Int]? {
        pending.withLockedValue { pending in
            let seatCount = index.layout.totalSeats
            if pending[showId] == nil {
                pending[showId] = Picked(counts: [UInt16](repeating: 0, count: seatCount + 1), held: SeatMask(count: seatCount))
            }
            var choice: BestAvailable.Choice
            if pending[showId]!.total > 0 {
                var around = unavailable
                around.formUnion(pending[showId]!.held)
                choice = BestAvailable.choose(want, in: index, unavailable: around)
                if case .none = choice { choice = BestAvailable.choose(want, in: index, unavailable: unavailable) }
            } else {
                choice = BestAvailable.choose(want, in: index, unavailable: unavailable)
            }
            guard case .seats(let seats) = choice else {
                if pending[showId]!.total == 0 { pending[showId] = nil }
                return nil
            }
            for seat in seats where seat <= seatCount {
                pending[showId]!.counts[seat] += 1
                pending[showId]!.held.insert(seat)
                pending[showId]!.total += 1
            }
            return seats
        }
    }

    /// The order that picked `seats` has its answer.
    func release(_ seats: [Int], showId: String) {
        pending.withLockedValue { pending in
            guard pending[showId] != nil else { return }
            for seat in seats where seat < pending[showId]!.counts.count && pending[showId]!.counts[seat] > 0 {
                pending[showId]!.counts[seat] -= 1
                pending[showId]!.total -= 1
                if pending[showId]!.counts[seat] == 0 { pending[showId]!.held.remove(seat) }
            }
            if pending[showId]!.total == 0 { pending[showId] = nil }
        }
    }
}
