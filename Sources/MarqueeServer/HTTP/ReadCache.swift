import Foundation
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
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Bumped by every invalidation, so an answer read before a change is not stored after it.
        var generation: UInt64 = 0
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
        state.withLockedValue { state in
            guard let entry = state.entries[key], now - entry.stored < timeToLive else { return nil }
            return entry
        }
    }

    /// Where invalidation stood when a read began; pass it to ``store(_:under:readAt:)``.
    var generation: UInt64 { state.withLockedValue { $0.generation } }

    /// Keeps an answer, unless something was invalidated since it was read.
    func store(_ entry: Entry, under key: String, readAt generation: UInt64) {
        guard timeToLive > .zero else { return }
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            // Lists with arbitrary `from` values could grow without end: start afresh instead.
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = entry
        }
    }

    /// Forgets these shows' seat maps and every list (their counts of free seats changed).
    func invalidate(showIds: Set<String>) {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries = state.entries.filter { _, entry in entry.showId.map { !showIds.contains($0) } ?? false }
        }
    }
}
