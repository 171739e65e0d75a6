import Foundation
import MarqueeCore
@testable import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import Synchronization
import Testing

/// The read cache: what a change forgets, answers never kept past a change, and readers
/// sharing one refill.
@Suite struct ReadCacheTests {
    /// With replicas: a refill needs what the primary had once the change was read; a list
    /// needs every show's; a change whose position is unknown sends refills to the primary.
    @Test func aChangeSetsTheFloorRefillsMustHaveReplayed() {
        let cache = ReadCache(timeToLive: .seconds(60))
        #expect(cache.floor("s1") == nil && cache.floor(nil) == nil)
        cache.invalidate(showIds: ["s1"], at: WALPosition(40))
        #expect(cache.floor("s1") == WALPosition(40) && cache.floor(nil) == WALPosition(40) && cache.floor("s2") == nil)
        cache.invalidate(showIds: ["s2"])
        #expect(cache.floor("s2") == WALPosition(.max) && cache.floor(nil) == WALPosition(.max))
        #expect(cache.floor("s1") == WALPosition(40))
        cache.invalidate(showIds: ["s2"], at: WALPosition(90))
        #expect(cache.floor("s2") == WALPosition(90) && cache.floor(nil) == WALPosition(90))
    }

    @Test func aCachedAnswerOlderThanAReadersTokenIsNotGivenToThem() {
        var entry = ReadCache.Entry(body: .init(string: "x"), contentType: nil, etag: "\"e\"", showId: "s1", stored: .now)
        #expect(!ReadCacheMiddleware.older(entry, than: nil))
        #expect(ReadCacheMiddleware.older(entry, than: WALPosition(1)), "an answer of unknown age")
        entry.position = WALPosition(50)
        #expect(ReadCacheMiddleware.older(entry, than: WALPosition(51)))
        #expect(!ReadCacheMiddleware.older(entry, than: WALPosition(50)))
    }

    @Test func anInvalidationDropsTheShowAndEveryListButNotOtherShows() {
        let cache = ReadCache(timeToLive: .seconds(60))
        func entry(_ show: String?) -> ReadCache.Entry {
            ReadCache.Entry(body: .init(string: "x"), contentType: nil, etag: "\"e\"", showId: show, stored: .now)
        }
        for (key, show) in [("/api/shows", nil), ("/api/shows/s1", "s1"), ("/api/shows/s2", "s2")] {
            cache.store(entry(show), under: key, readAt: cache.generation)
        }
        cache.invalidate(showIds: ["s1"])
        #expect(cache.entry("/api/shows") == nil)
        #expect(cache.entry("/api/shows/s1") == nil)
        #expect(cache.entry("/api/shows/s2") != nil)
    }

    @Test func anAnswerReadBeforeAChangeIsNotKeptAfterIt() {
        let cache = ReadCache(timeToLive: .seconds(60))
        let readAt = cache.generation
        cache.invalidate(showIds: ["s1"])  // a booking committed while the read was running
        cache.store(
            ReadCache.Entry(body: .init(string: "old"), contentType: nil, etag: "\"o\"", showId: "s1", stored: .now),
            under: "/api/shows/s1", readAt: readAt)
        #expect(cache.entry("/api/shows/s1") == nil)
    }

    @Test func aChangeToAnotherShowDoesNotStopAMapBeingKeptButStopsLists() {
        let cache = ReadCache(timeToLive: .seconds(60))
        let readAt = cache.generation
        cache.invalidate(showIds: ["s2"])  // a booking of another show, while s1 was read
        for (key, show) in [("/api/shows/s1", "s1"), ("/api/shows", nil)] {
            cache.store(
                ReadCache.Entry(body: .init(string: "x"), contentType: nil, etag: "\"e\"", showId: show, stored: .now),
                under: key, readAt: readAt)
        }
        #expect(cache.entry("/api/shows/s1") != nil)
        #expect(cache.entry("/api/shows") == nil, "every change counts for lists")
    }

    @Test func readersArrivingDuringARefillShareItsAnswer() async throws {
        let cache = ReadCache(timeToLive: .seconds(60))
        guard case .lead(let flight) = await cache.lookup("/api/shows/s1", showId: "s1") else {
            Issue.record("the first reader must lead the read")
            return
        }
        let followers = (0..<3).map { _ in Task { await cache.lookup("/api/shows/s1", showId: "s1") } }
        try await waitUntil { cache.waitingReaders == 3 }
        let entry = ReadCache.Entry(body: .init(string: "map"), contentType: nil, etag: "\"m\"", showId: "s1", stored: .now)
        cache.finish(flight, with: entry)
        for follower in followers {
            guard case .found(let shared) = await follower.value else {
                Issue.record("a follower did not get the shared answer")
                continue
            }
            #expect(shared.etag == "\"m\"")
        }
        #expect(cache.entry("/api/shows/s1")?.etag == "\"m\"")
    }

    @Test func aReaderArrivingAfterAChangeStartsItsOwnRead() async throws {
        let cache = ReadCache(timeToLive: .seconds(60))
        guard case .lead(let old) = await cache.lookup("/api/shows/s1", showId: "s1") else {
            Issue.record("the first reader must lead the read")
            return
        }
        let early = Task { await cache.lookup("/api/shows/s1", showId: "s1") }
        try await waitUntil { cache.waitingReaders == 1 }
        cache.invalidate(showIds: ["s1"])  // a booking answered before the next reader asked
        guard case .lead(let fresh) = await cache.lookup("/api/shows/s1", showId: "s1") else {
            Issue.record("a reader after the change must not wait for the older read")
            return
        }
        func entry(_ etag: String) -> ReadCache.Entry {
            ReadCache.Entry(body: .init(string: etag), contentType: nil, etag: etag, showId: "s1", stored: .now)
        }
        cache.finish(old, with: entry("old"))
        guard case .found(let shared) = await early.value else {
            Issue.record("the reader that came before the change waits for the read it joined")
            return
        }
        #expect(shared.etag == "old")
        #expect(cache.entry("/api/shows/s1") == nil, "the older read is not kept after the change")
        cache.finish(fresh, with: entry("new"))
        #expect(cache.entry("/api/shows/s1")?.etag == "new")
    }

    @Test func whenTheSharedReadIsNotKeptItsReadersReadThemselves() async throws {
        let cache = ReadCache(timeToLive: .seconds(60))
        guard case .lead(let flight) = await cache.lookup("/api/shows/s9", showId: "s9") else {
            Issue.record("the first reader must lead the read")
            return
        }
        let follower = Task { await cache.lookup("/api/shows/s9", showId: "s9") }
        try await waitUntil { cache.waitingReaders == 1 }
        cache.finish(flight, with: nil)  // a 404, or the read failed
        guard case .miss = await follower.value else {
            Issue.record("the follower must be told to read itself")
            return
        }
    }

    @Test func whileAnEntryThatOnlyExpiredIsRefreshedOtherReadersGetItAtOnce() async throws {
        let cache = ReadCache(timeToLive: .seconds(2))
        let key = "/api/shows/s1"
        func entry(_ etag: String, _ stored: ContinuousClock.Instant = .now) -> ReadCache.Entry {
            ReadCache.Entry(body: .init(string: etag), contentType: nil, etag: etag, showId: "s1", stored: stored)
        }
        let stored = ContinuousClock.now
        cache.store(entry("old", stored), under: key, readAt: cache.generation)
        let later = stored + .seconds(3)
        guard case .lead(let refresh) = await cache.lookup(key, showId: "s1", now: later) else {
            Issue.record("the first reader after expiry must refresh the entry")
            return
        }
        let answered = Mutex(false)
        let other = Task {
            defer { answered.withLock { $0 = true } }
            return await cache.lookup(key, showId: "s1", now: later)
        }
        try await waitUntil { answered.withLock { $0 } || cache.waitingReaders > 0 }
        cache.finish(refresh, with: entry("new"))
        guard case .found(let meanwhile) = await other.value else {
            Issue.record("another reader must be answered")
            return
        }
        #expect(meanwhile.etag == "old", "it must not wait for the refresh")
        #expect(cache.entry(key)?.etag == "new")
        cache.invalidate(showIds: ["s1"])  // a change: from now on nobody gets what came before it
        guard case .lead(let reread) = await cache.lookup(key, showId: "s1") else {
            Issue.record("after a change the entry must be read again")
            return
        }
        cache.finish(reread, with: nil)
    }

    @Test func entriesExpireAfterTheirTimeToLive() {
        let cache = ReadCache(timeToLive: .seconds(2))
        let stored = ContinuousClock.now
        cache.store(
            ReadCache.Entry(body: .init(string: "x"), contentType: nil, etag: "\"e\"", showId: nil, stored: stored),
            under: "/api/shows", readAt: cache.generation)
        #expect(cache.entry("/api/shows", now: stored + .seconds(1)) != nil)
        #expect(cache.entry("/api/shows", now: stored + .seconds(3)) == nil)
    }
}
