import Foundation
import MarqueeCore
import Testing

@Suite struct ShowQueryTests {
    @Test func aCursorSurvivesTheRoundTrip() throws {
        let cursor = ShowCursor(startMicros: 1_924_992_000_123_456, id: Identifier.make())
        #expect(ShowCursor(encoded: cursor.encoded) == cursor)
    }

    @Test(arguments: ["", "zzz", "bm90LWEtY3Vyc29y"])
    func aForeignCursorIsAValidationError(cursor: String) {
        #expect(throws: MarqueeError.self) { try ShowQuery(limit: nil, cursor: cursor, from: nil) }
    }

    @Test func aPageNamesTheNextCursorOnlyWhenMoreRowsWereFound() {
        let rows = (0..<3).map { index in
            (show: Show(id: Identifier.make(), name: "S\(index)", startTime: Date(), totalSeats: 1, availableSeats: 1,
                        createdAt: Date()), startMicros: Int64(index))
        }
        let exact = ShowPage(rows: Array(rows.prefix(2)), limit: 2)
        #expect(exact.items.count == 2 && exact.next == nil)
        let more = ShowPage(rows: rows, limit: 2)
        #expect(more.items.map(\.id) == rows.prefix(2).map(\.show.id))
        #expect(more.next == ShowCursor(startMicros: 1, id: rows[1].show.id))
    }

    @Test func theLimitDefaultsTo50AndStaysWithin1To200() throws {
        #expect(try ShowQuery(limit: nil, cursor: nil, from: nil).limit == 50)
        #expect(throws: MarqueeError.self) { try ShowQuery(limit: 0, cursor: nil, from: nil) }
        #expect(throws: MarqueeError.self) { try ShowQuery(limit: 201, cursor: nil, from: nil) }
    }
}
