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

@Suite struct BookingStatusTests {
    @Test func aHoldCanBeConfirmedCancelledOrExpire() {
        #expect(BookingStatus.pending.successors == [.confirmed, .cancelled, .expired])
    }

    @Test func aConfirmedBookingCanOnlyBeCancelled() {
        #expect(BookingStatus.confirmed.canMove(to: .cancelled))
        #expect(!BookingStatus.confirmed.canMove(to: .pending))
        #expect(!BookingStatus.confirmed.canMove(to: .expired))
    }

    @Test(arguments: [BookingStatus.cancelled, .expired])
    func cancelledAndExpiredAreFinal(status: BookingStatus) {
        #expect(status.successors.isEmpty)
    }

    @Test func aHoldHoldsSeatsOnlyUntilItExpires() {
        let now = Date(timeIntervalSince1970: 1_000)
        var booking = Booking(
            id: "b", showId: "s", userId: "u", userName: "U", seats: [1], status: .pending, createdAt: now,
            expiresAt: now.addingTimeInterval(60))
        #expect(booking.isActive(at: now))
        #expect(!booking.isActive(at: now.addingTimeInterval(60)))
        booking.status = .confirmed
        #expect(booking.isActive(at: now.addingTimeInterval(3600)))
    }
}

@Suite struct SettlementTests {
    let now = Date(timeIntervalSince1970: 1_000)

    @Test func confirmAndCancelMoveAnUnexpiredHold() throws {
        let later = now.addingTimeInterval(60)
        #expect(try Settlement.decide(.confirm, status: .pending, expiresAt: later, now: now) == .move(to: .confirmed))
        #expect(try Settlement.decide(.cancel, status: .pending, expiresAt: later, now: now) == .move(to: .cancelled))
        #expect(try Settlement.decide(.cancel, status: .confirmed, expiresAt: nil, now: now) == .move(to: .cancelled))
    }

    @Test func aHoldLapsesAtItsExpiryExactly() throws {
        #expect(try Settlement.decide(.confirm, status: .pending, expiresAt: now, now: now) == .lapse)
        #expect(Settlement.lapsedError(for: .confirm) == .holdExpired)
        if case .conflict = Settlement.lapsedError(for: .cancel) {} else { Issue.record("cancel of a lapsed hold is not 409") }
    }

    @Test func finishedBookingsRefuseWithConflictOrGone() {
        #expect(throws: MarqueeError.holdExpired) { try Settlement.decide(.confirm, status: .expired, expiresAt: nil, now: now) }
        for (action, status) in [(BookingAction.confirm, BookingStatus.confirmed), (.confirm, .cancelled),
                                 (.cancel, .cancelled), (.cancel, .expired)] {
            do {
                _ = try Settlement.decide(action, status: status, expiresAt: nil, now: now)
                Issue.record("\(action) of \(status) was allowed")
            } catch {
                if case .conflict = error {} else { Issue.record("\(action) of \(status): \(error)") }
            }
        }
    }

    @Test func onlyTheOwnerActsExceptThatAnAdminMayCancel() {
        #expect(Settlement.mayAct(.confirm, userId: "a", isAdmin: false, ownerId: "a"))
        #expect(!Settlement.mayAct(.confirm, userId: "b", isAdmin: true, ownerId: "a"))
        #expect(Settlement.mayAct(.cancel, userId: "b", isAdmin: true, ownerId: "a"))
        #expect(!Settlement.mayAct(.cancel, userId: "b", isAdmin: false, ownerId: "a"))
    }
}
