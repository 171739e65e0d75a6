import Foundation
import MarqueeStore
import NIOConcurrencyHelpers
import NIOCore

/// The answers to `GET /api/shows…` and `GET /api/shows/{id}`, kept for a moment so a rush
/// of readers costs one query. Every event for a show forgets that show and every list (on
/// every instance, through the outbox), and this instance's own writes forget them before
/// they answer, so nobody reads their own change stale. The time to live is only a floor
/// under that, for what changes without an event (a hold lapsing before the sweeper runs).
final class ReadCache: Sendable {
    struct Entry: Sendable {
        let body: ByteBuffer
        let contentType: String?
        /// A strong validator: the body's SHA-256, shortened.
        let etag: String
        /// The show a seat map belongs to; nil for a list.
        let showId: String?
        let stored: ContinuousClock.Instant
        /// With replicas: a WAL position the answer is at least as new as (``ReadRoute/seen``),
        /// so a reader whose consistency token is further along reads afresh.
        var position: WALPosition? = nil
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Bumped by every invalidation, so an answer read before a change is not stored after it.
        var generation: UInt64 = 0
        /// The generation each show's last invalidation made (a list is touched by every one);
        /// shows not named changed at `changedFloor` at the latest.
        var changed: [String: UInt64] = [:]
        var changedFloor: UInt64 = 0
        /// With replicas: where the primary stood after each show's last change was read, so
        /// a refill never comes from a replica that has not replayed it (the live stream
        /// has told its readers of it already). A list depends on every show's.
        var floors: [String: WALPosition] = [:]
        var floorOfForgotten: WALPosition? = nil
        var listFloor: WALPosition? = nil
        /// The read in flight for each key, which readers arriving while it is valid wait for.
        var flights: [String: Flight] = [:]
        var waiters: [UInt64: [CheckedContinuation<Lookup, Never>]] = [:]
        var nextFlight: UInt64 = 0

        /// Whether nothing that `showId`'s answer depends on changed since `generation`.
        func unchanged(_ showId: String?, since generation: UInt64) -> Bool {
            guard let showId else { return self.generation == generation }
            return (changed[showId] ?? changedFloor) <= generation
        }
    }

    /// One read that fills a key; readers that arrive while it runs share its answer.
    struct Flight: Sendable {
        let id: UInt64
        let key: String
        let showId: String?
        /// The generation when the read began.
        let readAt: UInt64
    }

    /// What a reader should do.
    enum Lookup: Sendable {
        /// Answer with this.
        case found(Entry)
        /// Read, then report with ``finish(_:with:)``; readers arriving meanwhile wait for it.
        case lead(Flight)
        /// Read without the cache (the shared read failed or is not kept).
        case miss
    }

    private let state = NIOLockedValueBox(State())
    let timeToLive: Duration
    let capacity: Int

    init(timeToLive: Duration, capacity: Int = 1_000) {
        self.timeToLive = timeToLive
        self.capacity = capacity
    }

    /// The entry under `key`, if there is a fresh one.
    func entry(_ key: String, now: ContinuousClock.Instant = .now) -> Entry? {
        state.withLockedValue { state in fresh(key, in: state, now: now) }
    }

    private func fresh(_ key: String, in state: State, now: ContinuousClock.Instant) -> Entry? {
        guard let entry = state.entries[key], now - entry.stored < timeToLive else { return nil }
        return entry
    }

    /// A fresh entry; or else, while a read for `key` is in flight, the entry it replaces if
    /// that one only grew old (a change removes the entries it touches, so one still here
    /// saw every change since), or else that read's answer if it began after the last change
    /// it depends on (so a reader never gets an answer older than a change it has seen); or
    /// else the lead of a new read. A rush of readers after a change costs one read, not one
    /// each, and when an entry merely expires, only the reader that refreshes it waits.
    func lookup(_ key: String, showId: String?, now: ContinuousClock.Instant = .now) async -> Lookup {
        guard timeToLive > .zero else { return .miss }
        return await withCheckedContinuation { continuation in
            state.withLockedValue { state in
                if let entry = fresh(key, in: state, now: now) {
                    continuation.resume(returning: .found(entry))
                } else if state.flights[key] != nil, let expired = state.entries[key] {
                    continuation.resume(returning: .found(expired))
                } else if let flight = state.flights[key], state.unchanged(showId, since: flight.readAt) {
                    state.waiters[flight.id, default: []].append(continuation)
                } else {
                    state.nextFlight += 1
                    let flight = Flight(id: state.nextFlight, key: key, showId: showId, readAt: state.generation)
                    state.flights[key] = flight
                    continuation.resume(returning: .lead(flight))
                }
            }
        }
    }

    /// Ends a read that ``lookup(_:showId:now:)`` gave the lead of: its entry (nil when the
    /// answer is not to be kept) goes to the readers that waited for it, and is stored unless
    /// something it depends on changed meanwhile.
    func finish(_ flight: Flight, with entry: Entry?) {
        state.withLockedValue { state in
            if state.flights[flight.key]?.id == flight.id { state.flights[flight.key] = nil }
            let waiting = state.waiters.removeValue(forKey: flight.id) ?? []
            if let entry { store(entry, under: flight.key, readAt: flight.readAt, in: &state) }
            for waiter in waiting { waiter.resume(returning: entry.map(Lookup.found) ?? .miss) }
        }
    }

    /// What a refill of `showId`'s seat map (nil: a list) must have replayed at least.
    func floor(_ showId: String?) -> WALPosition? {
        state.withLockedValue { state in
            guard let showId else { return state.listFloor }
            return state.floors[showId] ?? state.floorOfForgotten
        }
    }

    /// Readers waiting for a read in flight.
    var waitingReaders: Int { state.withLockedValue { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    /// Where invalidation stood when a read began; pass it to ``store(_:under:readAt:)``.
    var generation: UInt64 { state.withLockedValue { $0.generation } }

    /// Keeps an answer, unless something it depends on was invalidated since it was read.
    func store(_ entry: Entry, under key: String, readAt generation: UInt64) {
        state.withLockedValue { state in store(entry, under: key, readAt: generation, in: &state) }
    }

    private func store(_ entry: Entry, under key: String, readAt generation: UInt64, in state: inout State) {
        guard timeToLive > .zero, state.unchanged(entry.showId, since: generation) else { return }
        // Lists with arbitrary `from` values could grow without end: start afresh instead.
        if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
        state.entries[key] = entry
    }

    /// Forgets these shows' seat maps and every list (their counts of free seats changed).
    /// `position`: where the primary stood after the change was read, so that a refill comes
    /// from data at least that new; nil when that is not known (this instance's own write,
    /// before its event is read), and then refills read the primary until the next change
    /// names a position.
    func invalidate(showIds: Set<String>, at position: WALPosition? = nil) {
        let floor = position ?? WALPosition(.max)
        state.withLockedValue { state in
            state.generation &+= 1
            for showId in showIds {
                state.changed[showId] = state.generation
                state.floors[showId] = floor
            }
            state.listFloor = floor
            if state.changed.count > capacity * 10 {  // forget the names, keep them all "changed now"
                state.changed = [:]
                state.changedFloor = state.generation
                // A pending own write (no position yet) is named again once its event is read.
                state.floorOfForgotten = state.floors.values.filter { $0 != WALPosition(.max) }.max()
                    ?? state.floorOfForgotten
                state.floors = [:]
            }
            state.entries = state.entries.filter { _, entry in entry.showId.map { !showIds.contains($0) } ?? false }
        }
    }
}
