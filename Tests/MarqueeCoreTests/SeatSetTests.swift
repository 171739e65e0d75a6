import Foundation
import MarqueeCore
import Testing

@Suite struct SeatSetTests {
    @Test func seatsAreSortedAscending() throws {
        #expect(try SeatSet([5, 1, 3], maximum: 10).seats == [1, 3, 5])
    }

    @Test func anEmptySelectionIsRefused() {
        #expect(throws: MarqueeError.self) { try SeatSet([], maximum: 10) }
    }

    @Test func duplicatesAreRefusedAndNamed() {
        do {
            _ = try SeatSet([2, 7, 2, 7, 7], maximum: 10)
            Issue.record("duplicates were accepted")
        } catch {
            guard case .validation(let errors) = error else { Issue.record("wrong error \(error)"); return }
            #expect(errors.first?.field == "seats")
            #expect(errors.first?.message.contains("2, 7") == true)
        }
    }

    @Test func moreThanTheMaximumIsRefused() throws {
        #expect(throws: MarqueeError.self) { try SeatSet(Array(1...11), maximum: 10) }
        #expect(try SeatSet(Array(1...10), maximum: 10).seats.count == 10)
    }

    @Test func seatNumbersStartAtOne() {
        #expect(throws: MarqueeError.self) { try SeatSet([0, 1], maximum: 10) }
        #expect(throws: MarqueeError.self) { try SeatSet([-3], maximum: 10) }
    }

    @Test func seatsBeyondTheShowAreOutOfRange() throws {
        let seats = try SeatSet([1, 50, 51, 99], maximum: 10)
        #expect(seats.outOfRange(totalSeats: 50) == [51, 99])
        #expect(seats.outOfRange(totalSeats: 100).isEmpty)
    }
}
