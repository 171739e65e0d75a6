import MarqueeCore
import NIOConcurrencyHelpers

/// What best available knows of each show's seats that cannot be had (taken, held, blocked),
/// so that an order does not read a whole seat map. A show's seats are read at most every
/// `maxAge` (one read at a time, shared by the orders waiting for it) and kept current in
/// between with this instance's own bookings. What is known may be a little behind, which
/// only changes which seats are tried: the booking transaction decides, a lost pick reads
/// afresh, and "no block is free" is only said after a fresh read.
final class SeatOccupancy: Sendable {
    private struct Known {
        var seats: SeatMask
        var readAt: ContinuousClock.Instant
        /// This instance's bookings lately, to lay over a read that may have missed them.
        var own: [(at: ContinuousClock.Instant, seats: [Int])]
    }

    private struct State {
        var shows: [String: Known] = [:]
        var reading: [String: (started: ContinuousClock.Instant, task: Task<SeatMask?, any Error>)] = [:]
    }

    private let state = NIOLockedValueBox(State())
    let maxAge: Duration
    let capacity: Int

    init(maxAge: Duration = .milliseconds(200), capacity: Int = 1_000) {
        self.maxAge = maxAge
        self.capacity = capacity
    }

    /// The show's unavailable seats; nil for an unknown show. With `readSince`, only a read
    /// that started at or after that moment will do (one already under way counts).
    func unavailable(
        showId: String, readSince: ContinuousClock.Instant? = nil, read: @escaping @Sendable () async throws -> ShowDetail?
    ) async throws -> SeatMask? {
        let now = ContinuousClock.now
        let (known, task): (SeatMask?, Task<SeatMask?, any Error>?) = state.withLockedValue { state in
            if let known = state.shows[showId] {
                let recentEnough = readSince.map { known.readAt >= $0 } ?? (known.readAt.duration(to: now) < maxAge)
                if recentEnough { return (known.seats, nil) }
            }
            if let reading = state.reading[showId], readSince.map({ reading.started >= $0 }) ?? true {
                return (nil, reading.task)
            }
            let reading = Task { try await self.refresh(showId: showId, started: now, read: read) }
            state.reading[showId] = (now, reading)
            return (nil, reading)
        }
        if let known { return known }
        return try await task?.value
    }

    private func refresh(
        showId: String, started: ContinuousClock.Instant, read: @Sendable () async throws -> ShowDetail?
    ) async throws -> SeatMask? {
        defer {
            state.withLockedValue { state in
                if state.reading[showId]?.started == started { state.reading[showId] = nil }
            }
        }
        guard let detail = try await read() else { return nil }
        var seats = SeatMask(count: detail.show.totalSeats, seats: detail.takenSeats)
        seats.formUnion(detail.blockedSeats)
        return state.withLockedValue { state in
            // Own bookings that committed while the read ran may be missing from it.
            let recent = (state.shows[showId]?.own ?? []).filter { $0.at.duration(to: started) < .seconds(1) }
            for booking in recent { seats.formUnion(booking.seats) }
            if state.shows.count >= capacity, state.shows[showId] == nil { state.shows.removeAll(keepingCapacity: true) }
            // Two reads may overlap: the one that started later is kept.
            if state.shows[showId].map({ $0.readAt <= started }) ?? true {
                state.shows[showId] = Known(seats: seats, readAt: started, own: recent)
            }
            return seats
        }
    }

    /// This instance booked `seats`: they are known taken at once.
    func booked(_ seats: [Int], showId: String) {
        state.withLockedValue { state in
            guard state.shows[showId] != nil else { return }
            // In place: the mask is not copied.
            state.shows[showId]!.seats.formUnion(seats)
            state.shows[showId]!.own.append((ContinuousClock.now, seats))
        }
    }
}
