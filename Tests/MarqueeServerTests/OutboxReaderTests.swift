import Foundation
import Logging
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeServer

/// The relay on a real SQLite store: which changes make it read the outbox.
@Suite struct OutboxReaderTests {
    @Test func anOwnChangeIsReadAtOnceOnlyWhileAStreamIsOpenAndExpiriesAlways() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("s.sqlite").path)
        try await store.migrate()
        let user = try await store.createUser(
            NewUser(name: "Ann", email: "ann@example.com", passwordHash: "x", createdAt: Date()))
        let first = try await store.createShow(try NewShow(name: "A", startTime: Date(), totalSeats: 10), now: Date())
        let second = try await store.createShow(try NewShow(name: "B", startTime: Date(), totalSeats: 10), now: Date())
        func book(_ show: Show, _ seat: Int) async throws {
            _ = try await store.book(
                BookingRequest(showId: show.id, userId: user.id, userName: user.name, seats: try SeatSet([seat], maximum: 10)),
                now: Date())
        }

        let (hub, cache, changes, gate) = (LiveStreamHub(), ReadCache(timeToLive: .seconds(3600)), OutboxSignal(), StartupGate())
        // No timer reads, only wake-ups; a quick heartbeat, which starts once the reader has
        // found where the outbox ends (a change before that would pass it by).
        let reader = OutboxReader(
            store: store, hub: hub, cache: cache, changes: changes, logger: Logger(label: "test"), started: gate,
            pollInterval: .seconds(3600), heartbeat: .milliseconds(20))
        func cacheMap(of show: Show) {
            cache.store(
                ReadCache.Entry(body: .init(string: "map"), contentType: nil, etag: "\"m\"", showId: show.id, stored: .now),
                under: "/api/shows/\(show.id)", readAt: cache.generation)
        }
        let subscription = try hub.subscribe(showId: second.id)
        defer { subscription.finish() }  // also when a step fails, so the watcher ends
        let received = Mutex<(heartbeats: Int, frames: [String])>((0, []))
        let watcher = Task {
            for await item in subscription.items {
                switch item {
                case .heartbeat: received.withLock { $0.heartbeats += 1 }
                case .event(_, let frame): received.withLock { $0.frames.append(String(decoding: frame, as: UTF8.self)) }
                case .frame(let frame): received.withLock { $0.frames.append(String(decoding: frame, as: UTF8.self)) }
                }
            }
        }
        // Generous: with the whole suite running beside it, each step can take seconds.
        let slow = Duration.seconds(30)
        gate.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await reader.run() }
            try await waitUntil(within: slow) { received.withLock { $0.heartbeats > 0 } }

            // A stream open: an own change is read at once and reaches it.
            try await book(second, 1)
            changes.ownCommit()
            try await waitUntil(within: slow) { received.withLock { !$0.frames.isEmpty } }
            #expect(received.withLock { $0.frames.count == 1 && $0.frames[0].contains("\"taken\":[1]") })
            subscription.finish()
            await watcher.value

            // No stream open: an own change does not wake the reader (the handler dropped the
            // show from the cache itself; this entry stands in for one the reader would drop).
            let mapOfFirst = "/api/shows/\(first.id)"
            cacheMap(of: first)
            try await book(first, 1)
            changes.ownCommit()
            try await Task.sleep(for: .milliseconds(500))
            #expect(cache.entry(mapOfFirst) != nil, "the reader read the outbox after an own change")

            // Expired holds (an unseen change) are read at once, stream or not.
            changes.unseenChange()
            try await waitUntil(within: slow) { cache.entry(mapOfFirst) == nil }
            group.cancelAll()
        }
    }
}
