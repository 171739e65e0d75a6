import Foundation
import MarqueeCore
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeServer

/// The pieces between the outbox and the clients: the cursor that reads it, the hub that
/// fans events out, the stream a client reads, and the read cache they invalidate.
@Suite struct EventPlumbingTests {
    static func event(_ id: Int64, show: String = "s1", _ kind: BookingEvent.Kind = .bookingConfirmed, seats: [Int] = [1])
        -> BookingEvent
    {
        BookingEvent(id: id, kind: kind, showId: show, bookingId: "b\(id)", seats: seats, createdAt: Date(), payload: "{}")
    }

    @Test func theCursorPassesEachEventOnOnceEvenWhenAnEarlierIdCommitsLate() {
        var cursor = OutboxCursor(after: 10)
        let now = ContinuousClock.now
        // 12 committed before 11: 11 is remembered as missing.
        #expect(cursor.advance(with: [Self.event(12)], at: now).map(\.id) == [12])
        #expect(cursor.missingIds == [11])
        // The next read asks for 11 again and finds it, along with 13.
        #expect(cursor.advance(with: [Self.event(11), Self.event(13)], at: now).map(\.id) == [11, 13])
        #expect(cursor.missingIds.isEmpty)
        // Reading the same events again passes nothing on.
        #expect(cursor.advance(with: [Self.event(11), Self.event(13)], at: now).isEmpty)
        #expect(cursor.high == 13)
    }

    @Test func aGapThatNeverFillsIsForgottenAfterThePatienceRunsOut() {
        var cursor = OutboxCursor(after: 0, patience: .seconds(10))
        let start = ContinuousClock.now
        _ = cursor.advance(with: [Self.event(3)], at: start)
        #expect(cursor.missingIds == [1, 2])
        _ = cursor.advance(with: [], at: start + .seconds(11))
        #expect(cursor.missingIds.isEmpty)
    }

    @Test func aStreamGetsOnlyItsShowsSeatChangesWrittenAsServerSentEvents() async {
        let hub = LiveStreamHub()
        let subscription = hub.subscribe(showId: "s1")
        hub.publish([
            Self.event(1, show: "s2"), Self.event(2, .holdConfirmed), Self.event(3, .bookingCancelled, seats: [4]),
        ])
        hub.heartbeat()
        subscription.finish()
        var received: [String] = []
        for await item in subscription.items {
            switch item {
            case .event(let id, let frame): received.append("\(id): \(String(decoding: frame, as: UTF8.self))")
            case .heartbeat: received.append("heartbeat")
            }
        }
        #expect(received == ["3: id: 3\nevent: seats\ndata: {\"taken\":[],\"freed\":[4]}\n\n", "heartbeat"],
                "another show's event and a confirm that changes no seat are not sent")
        #expect(hub.subscriberCount == 0, "a finished stream is forgotten")
    }

    @Test func aStreamThatFallsTooFarBehindIsEndedNotFedAPartialPicture() async {
        let hub = LiveStreamHub(backlog: 2)
        let subscription = hub.subscribe(showId: "s1")
        hub.publish((1...5).map { Self.event($0) })
        var received: [Int64] = []
        for await item in subscription.items {
            if case .event(let id, _) = item { received.append(id) }
        }
        #expect(received == [1, 2], "the stream ended after its backlog filled")
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
        try await waitFor { cache.waitingReaders == 3 }
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
        try await waitFor { cache.waitingReaders == 1 }
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
        try await waitFor { cache.waitingReaders == 1 }
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
        try await waitFor { answered.withLock { $0 } || cache.waitingReaders > 0 }
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

    @Test func aLiveStreamOpensThenSkipsWhatItsOpeningCoveredAndEndsWithTheSubscription() async {
        let hub = LiveStreamHub()
        let subscription = hub.subscribe(showId: "s1")
        let stream = LiveSeatStream(opening: "OPEN\n", subscription: subscription, after: 2)
        hub.publish([Self.event(2), Self.event(3, seats: [9])])
        hub.heartbeat()
        subscription.finish()
        var text = ""
        for await part in stream { text += String(decoding: part, as: UTF8.self) }
        #expect(text == "OPEN\nid: 3\nevent: seats\ndata: {\"taken\":[9],\"freed\":[]}\n\n: heartbeat\n\n")
    }

    /// How many wake-ups the reader has waiting (at most one: they coalesce). Ends the reader.
    static func waiting(_ wakeups: OutboxWakeups) async -> Int {
        wakeups.continuation.finish()
        var count = 0
        for await _ in wakeups.stream { count += 1 }
        return count
    }

    @Test func anOwnChangeWakesOnlyReadersThatWantItAndAnyOtherChangeWakesAll() async {
        let hub = LiveStreamHub()
        let quiet = OutboxSignal()
        let (reader, notifier) = (quiet.subscribe(wantsOwnChanges: { hub.isWatched }), quiet.subscribe())
        quiet.ownCommit()
        #expect(await Self.waiting(reader) == 0, "with no stream open, the reader is not woken by an own change")
        #expect(await Self.waiting(notifier) == 1)

        let watched = OutboxSignal()
        let subscription = hub.subscribe(showId: "s1")
        let watchingReader = watched.subscribe(wantsOwnChanges: { hub.isWatched })
        watched.ownCommit()
        #expect(await Self.waiting(watchingReader) == 1, "a stream is open: the reader reads at once")
        subscription.finish()

        let expiries = OutboxSignal()
        let idleReader = expiries.subscribe(wantsOwnChanges: { hub.isWatched })
        expiries.unseenChange()
        #expect(await Self.waiting(idleReader) == 1, "expired holds are news to the cache, stream or not")
    }

    @Test func aClientThatGoesAwayEndsItsSubscription() async {
        let hub = LiveStreamHub()
        do {
            let stream = LiveSeatStream(opening: "", subscription: hub.subscribe(showId: "s1"), after: 0)
            var iterator = stream.makeAsyncIterator()
            _ = await iterator.next()
            #expect(hub.subscriberCount == 1)
        }
        #expect(hub.subscriberCount == 0, "dropping the stream's reader forgets the subscription")
    }
}

/// Polls `condition` every 2 ms for up to `limit`.
func waitFor(within limit: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else { throw CancellationError() }
        try await Task.sleep(for: .milliseconds(2))
    }
}
