import Foundation
import MarqueeCore
@testable import MarqueeServer
import MarqueeTestSupport
import Synchronization
import Testing

/// The outbox cursor: each event passed on once, in order, whatever commits late.
@Suite struct OutboxCursorTests {
    static func event(_ id: Int64, show: String = "s1", _ kind: BookingEvent.Kind = .bookingConfirmed, seats: [Int] = [1])
        -> BookingEvent
    {
        BookingEvent(id: id, kind: kind, showId: show, bookingId: "b\(id)", seats: seats, createdAt: Date())
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
}
