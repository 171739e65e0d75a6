import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Shows on both engines: paging by start time, and the free seats they count.
@Suite struct ShowConformanceTests {
    @Test(arguments: Engine.available)
    func showsArePagedByStartTimeThenIdWithoutGapsOrRepeats(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let base = Date(timeIntervalSince1970: 1_924_992_000.123456)
            var created: [Show] = []
            // Pairs share a start time, so the id decides their order.
            for index in 0..<7 {
                created.append(
                    try await store.createShow(
                        NewShow(name: "S\(index)", startTime: base.addingTimeInterval(Double(index / 2) * 3600),
                                totalSeats: 10), now: Date()))
            }
            let expected = created.sorted { ($0.startTime, $0.id) < ($1.startTime, $1.id) }.map(\.id)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.shows(try ShowQuery(limit: 3, cursor: cursor, from: nil), now: Date())
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.next?.encoded
            } while cursor != nil
            #expect(seen == expected)

            let later = try await store.shows(
                try ShowQuery(limit: 50, cursor: nil, from: base.addingTimeInterval(2 * 3600)), now: Date())
            #expect(later.items.map(\.id) == Array(expected.suffix(3)))
            #expect(later.next == nil)
        }
    }

    @Test(arguments: Engine.available)
    func aShowKeepsItsFieldsAndCountsItsFreeSeats(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 20)
            let user = try await store.makeUser("Dee")
            _ = try await store.book([4, 2], of: show, by: user)
            let detail = try #require(try await store.show(id: show.id, now: Date()))
            #expect(detail.show.name == show.name)
            #expect(abs(detail.show.startTime.timeIntervalSince(show.startTime)) < 0.000_01)
            #expect(detail.show.totalSeats == 20)
            #expect(detail.show.availableSeats == 18)
            #expect(detail.takenSeats == [2, 4])
            let listed = try await store.shows(try ShowQuery(limit: 10, cursor: nil, from: nil), now: Date())
            #expect(listed.items.first { $0.id == show.id }?.availableSeats == 18)
            #expect(try await store.show(id: Identifier.make(), now: Date()) == nil)
            #expect(try await store.show(id: "garbage", now: Date()) == nil)
        }
    }
}
