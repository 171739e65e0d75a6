import Foundation
import MarqueeCore
import Testing

/// The queue's rules without a database: the pace of admission, a keeper's beat, an entry's
/// place with its estimate, and the settings a show's queue may have.
@Suite struct QueueTests {
    static let open = Date(timeIntervalSince1970: 2_000_000_000)

    static func queue(
        entries: Int = 100, serving: Int = 0, perMinute: Int = 60, ranked: Bool = true, paused: Bool = false,
        closed: Bool = false, seatsLeft: Int = 1_000, passBookings: Int = 0, passSeats: Int = 0
    ) -> QueueSnapshot {
        QueueSnapshot(
            showId: "s", onSaleAt: open, admitPerMinute: perMinute, passSeconds: 600, paused: paused, closed: closed,
            ranked: ranked, entries: entries, serving: serving, commitment: "c", seed: "seed", seatsLeft: seatsLeft,
            passBookings: passBookings, passSeats: passSeats)
    }

    @Test func admissionIsSpreadEvenlyOverTheMinute() {
        // 120 a minute: one every half second, the first at once.
        var next: Date? = nil
        var serving = 0
        var admittedAt: [TimeInterval] = []
        for step in 0...40 {
            let now = Self.open.addingTimeInterval(Double(step) * 0.25)
            let (admit, due) = QueuePacing.due(serving: serving, entries: 100, nextAdmitAt: next, now: now, perMinute: 120)
            for _ in 0..<admit { admittedAt.append(now.timeIntervalSince(Self.open)) }
            serving += admit
            next = due
        }
        #expect(serving == 21)
        #expect(admittedAt == (0...20).map { Double($0) * 0.5 })
    }

    @Test func nothingIsBankedWhileNobodyWaitsAndAStalledKeeperCatchesUpOneSecondOnly() {
        let now = Self.open.addingTimeInterval(100)
        // Nobody waiting for a long while: the next one who comes is due now, not in a burst.
        let idle = QueuePacing.due(serving: 5, entries: 5, nextAdmitAt: Self.open, now: now, perMinute: 600)
        #expect(idle.admit == 0 && idle.nextAdmitAt == now)
        let arrives = QueuePacing.due(serving: 5, entries: 50, nextAdmitAt: idle.nextAdmitAt, now: now, perMinute: 600)
        #expect(arrives.admit == 1)
        // A keeper that beat last 30 s ago at 10 a second admits one second's worth (and one).
        let stalled = QueuePacing.due(
            serving: 0, entries: 1_000, nextAdmitAt: now.addingTimeInterval(-30), now: now, perMinute: 600)
        #expect(stalled.admit == 11)
        // Never more than are waiting.
        #expect(QueuePacing.due(serving: 0, entries: 3, nextAdmitAt: nil, now: now, perMinute: 100_000).admit == 1)
        #expect(QueuePacing.due(serving: 0, entries: 3, nextAdmitAt: now.addingTimeInterval(-1), now: now, perMinute: 100_000).admit == 3)
        // Not yet due.
        let early = QueuePacing.due(serving: 0, entries: 3, nextAdmitAt: now.addingTimeInterval(0.4), now: now, perMinute: 60)
        #expect(early.admit == 0 && early.nextAdmitAt == now.addingTimeInterval(0.4))
    }

    @Test func aBeatAdmitsOnlyWhileOpenAndClosesTheQueueWhenEverySeatIsFirm() {
        let now = Self.open.addingTimeInterval(1)
        let beat = QueueBeat(Self.queue(), nextAdmitAt: now, totalSeats: 10, activeSeats: 4, firmSeats: 2, now: now)
        #expect(beat.admitted == 1...1 && beat.queue.serving == 1 && beat.queue.seatsLeft == 6)
        #expect(beat.changes(Self.queue()))

        let scheduled = QueueBeat(Self.queue(), nextAdmitAt: nil, totalSeats: 10, activeSeats: 0, firmSeats: 0, now: Self.open - 1)
        #expect(scheduled.admitted == nil && scheduled.nextAdmitAt == nil)
        let paused = QueueBeat(Self.queue(paused: true), nextAdmitAt: now, totalSeats: 10, activeSeats: 0, firmSeats: 0, now: now)
        #expect(paused.admitted == nil && paused.nextAdmitAt == nil)

        // Every seat held: not closed, a hold may lapse. Every seat sold or blocked: closed.
        let held = QueueBeat(Self.queue(), nextAdmitAt: now, totalSeats: 10, activeSeats: 10, firmSeats: 7, now: now)
        #expect(!held.queue.closed && held.queue.seatsLeft == 0 && held.admitted != nil)
        let sold = QueueBeat(Self.queue(), nextAdmitAt: now, totalSeats: 10, activeSeats: 10, firmSeats: 10, now: now)
        #expect(sold.queue.closed && sold.admitted == nil && sold.queue.waiting == 0)
        #expect(sold.queue.state(at: now) == .closed)
    }

    @Test func anEntrysPlaceFollowsTheWatermark() {
        let now = Self.open.addingTimeInterval(30)
        let entry = QueueEntryRecord(id: "e", showId: "s", userId: "u", rank: 40, joinedAt: Self.open)
        let waiting = QueuePlace.of(entry, in: Self.queue(serving: 10), now: now, measuredPerSecond: nil)
        #expect(waiting.state == .waiting && waiting.aheadOfYou == 29 && waiting.passExpiresAt == nil)
        // 30 turns at one a second, with nothing measured yet: 27 to 33 seconds.
        #expect(waiting.estimatedWait == 27...33)
        // Measured at half the pace: the range runs to the slower one.
        #expect(QueuePlace.of(entry, in: Self.queue(serving: 10), now: now, measuredPerSecond: 0.5).estimatedWait == 27...66)
        // Paused: no estimate.
        #expect(QueuePlace.of(entry, in: Self.queue(serving: 10, paused: true), now: now, measuredPerSecond: 1).estimatedWait == nil)

        var admitted = entry
        admitted.admittedAt = now.addingTimeInterval(-100)
        let turn = QueuePlace.of(admitted, in: Self.queue(serving: 40), now: now, measuredPerSecond: nil)
        #expect(turn.state == .admitted && turn.passExpiresAt == now.addingTimeInterval(500) && turn.aheadOfYou == 0)
        #expect(QueuePlace.of(admitted, in: Self.queue(serving: 40), now: now.addingTimeInterval(501), measuredPerSecond: nil).state == .expired)
        admitted.used = true
        #expect(QueuePlace.of(admitted, in: Self.queue(serving: 40), now: now, measuredPerSecond: nil).state == .done)
        #expect(QueuePlace.of(entry, in: Self.queue(serving: 10, closed: true), now: now, measuredPerSecond: nil).state == .closed)
    }

    @Test func beforeTheDrawEveryoneElseMayComeFirst() {
        let now = Self.open.addingTimeInterval(-20)
        let entry = QueueEntryRecord(id: "e", showId: "s", userId: "u", rank: nil, joinedAt: now)
        let place = QueuePlace.of(entry, in: Self.queue(entries: 61, ranked: false), now: now, measuredPerSecond: nil)
        #expect(place.state == .waiting && place.aheadOfYou == 60)
        // From the 20 s to onSaleAt (first) to that plus 61 turns at one a second (last).
        #expect(place.estimatedWait == 20...81)
    }

    @Test func likelySoldOutComparesThePeopleAheadWithTheSeatsLeft() {
        let now = Self.open.addingTimeInterval(10)
        let entry = QueueEntryRecord(id: "e", showId: "s", userId: "u", rank: 31, joinedAt: Self.open)
        // 20 ahead, 3 seats a booking so far: 60 seats wanted.
        #expect(QueuePlace.of(entry, in: Self.queue(serving: 10, seatsLeft: 60, passBookings: 5, passSeats: 15), now: now, measuredPerSecond: nil).likelySoldOut)
        #expect(!QueuePlace.of(entry, in: Self.queue(serving: 10, seatsLeft: 61, passBookings: 5, passSeats: 15), now: now, measuredPerSecond: nil).likelySoldOut)
        // Before any booking, one seat each.
        #expect(!QueuePlace.of(entry, in: Self.queue(serving: 10, seatsLeft: 21), now: now, measuredPerSecond: nil).likelySoldOut)
        #expect(QueuePlace.of(entry, in: Self.queue(serving: 10, seatsLeft: 0), now: now, measuredPerSecond: nil).likelySoldOut)
    }

    @Test func aQueueNeedsAnOnSaleTimeAndSettingsInRange() throws {
        let start = Self.open.addingTimeInterval(86_400)
        #expect(throws: MarqueeError.validation([FieldError(field: "onSaleAt", message: "A show with a queue needs an onSaleAt.")])) {
            try NewShow(name: "Q", startTime: start, totalSeats: 10, queue: (60, nil))
        }
        #expect(throws: MarqueeError.self) { try NewShow(name: "Q", startTime: start, totalSeats: 10, onSaleAt: Self.open, queue: (0, nil)) }
        #expect(throws: MarqueeError.self) { try NewShow(name: "Q", startTime: start, totalSeats: 10, onSaleAt: Self.open, queue: (60, 59)) }
        let show = try NewShow(name: "Q", startTime: start, totalSeats: 10, onSaleAt: Self.open, queue: (100_000, nil))
        #expect(show.queue == (try QueueSettings(admitPerMinute: 100_000)) && show.queue?.passSeconds == 600)
        #expect(try NewShow(name: "Q", startTime: start, totalSeats: 10, onSaleAt: Self.open).queue == nil)
        #expect(throws: MarqueeError.self) { try QueueChange(paused: nil, admitPerMinute: 100_001) }
    }
}
