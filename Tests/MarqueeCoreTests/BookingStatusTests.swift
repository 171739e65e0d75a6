import Foundation
import MarqueeCore
import Testing

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
