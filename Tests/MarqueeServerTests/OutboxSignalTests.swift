import Foundation
import MarqueeCore
@testable import MarqueeServer
import MarqueeTestSupport
import Synchronization
import Testing

/// The outbox signal: which subscribers an own commit wakes, and that any other change wakes all.
@Suite struct OutboxSignalTests {
    /// How many wake-ups the reader has waiting (at most one: they coalesce). Ends the reader.
    static func waiting(_ wakeups: OutboxWakeups) async -> Int {
        wakeups.continuation.finish()
        var count = 0
        for await _ in wakeups.stream { count += 1 }
        return count
    }
    @Test func anOwnChangeWakesOnlyReadersThatWantItAndAnyOtherChangeWakesAll() async throws {
        let hub = LiveStreamHub()
        let quiet = OutboxSignal()
        let (reader, notifier) = (quiet.subscribe(wantsOwnChanges: { hub.isWatched }), quiet.subscribe())
        quiet.ownCommit()
        #expect(await Self.waiting(reader) == 0, "with no stream open, the reader is not woken by an own change")
        #expect(await Self.waiting(notifier) == 1)

        let watched = OutboxSignal()
        let subscription = try hub.subscribe(showId: "s1")
        let watchingReader = watched.subscribe(wantsOwnChanges: { hub.isWatched })
        watched.ownCommit()
        #expect(await Self.waiting(watchingReader) == 1, "a stream is open: the reader reads at once")
        subscription.finish()

        let expiries = OutboxSignal()
        let idleReader = expiries.subscribe(wantsOwnChanges: { hub.isWatched })
        expiries.unseenChange()
        #expect(await Self.waiting(idleReader) == 1, "expired holds are news to the cache, stream or not")
    }
}
