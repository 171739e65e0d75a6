import MarqueeCore

/// Where a reader of the outbox is, and which ids it passed over.
///
/// Ids come from one sequence, but transactions commit in their own order: event 11 may be
/// visible before event 10 commits. (One show's events cannot overtake each other: every
/// change holds the show's lock.) So the reader remembers the ids it skipped and asks for
/// them again until they appear or `patience` runs out (a rolled-back transaction leaves
/// a gap that never fills).
struct OutboxCursor {
    private(set) var high: Int64
    private var missing: [Int64: ContinuousClock.Instant] = [:]
    let patience: Duration
    /// A jump wider than this is not tracked id by id (it follows pruning or a restore).
    static let widestGap: Int64 = 10_000

    init(after high: Int64, patience: Duration = .seconds(10)) {
        self.high = high
        self.patience = patience
    }

    /// The ids skipped so far, to ask for again.
    var missingIds: [Int64] { missing.keys.sorted() }

    /// Takes a batch read as `events(after: high, orAmong: missingIds)`, oldest first, and
    /// returns the events not seen before.
    mutating func advance(with events: [BookingEvent], at now: ContinuousClock.Instant) -> [BookingEvent] {
        var fresh: [BookingEvent] = []
        for event in events {
            if event.id > high {
                if event.id - high <= Self.widestGap {
                    for skipped in (high + 1)..<event.id { missing[skipped] = now }
                }
                high = event.id
                fresh.append(event)
            } else if missing.removeValue(forKey: event.id) != nil {
                fresh.append(event)
            }
        }
        missing = missing.filter { now - $0.value < patience }
        return fresh
    }
}
