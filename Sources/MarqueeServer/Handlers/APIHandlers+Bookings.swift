import Crypto
import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore

extension APIHandlers {
    func createBooking(_ input: Operations.CreateBooking.Input) async throws -> Operations.CreateBooking.Output {
        let user = try await authenticatedUser()
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        guard let rawKey = RequestScope.current.idempotencyKey else {
            return .created(.init(body: .json(.init(try await book(body, for: user, idempotency: nil)))))
        }
        guard (1...255).contains(rawKey.count) else {
            throw Problem(
                .badRequest, "bad-idempotency-key", "Bad Idempotency-Key",
                detail: "An Idempotency-Key has 1 to 255 characters.")
        }
        let key = IdempotencyKey(userId: user.id, key: rawKey, fingerprint: Self.fingerprint(body))
        switch try await store.beginIdempotent(key, now: clock(), staleAfter: .seconds(60)) {
        case .replay(let stored): throw ReplayedAnswer(stored: stored)
        case .inFlight: throw MarqueeError.idempotencyKeyInFlight
        case .mismatch: throw MarqueeError.idempotencyKeyReused
        case .proceed: break
        }
        do {
            return .created(.init(body: .json(.init(try await book(body, for: user, idempotency: key)))))
        } catch let error as MarqueeError {
            // A refusal is an answer too: the same request under this key gets it again.
            try await store.finishIdempotent(key, response: Problem(error).stored)
            throw error
        } catch {
            // No answer worth keeping (the database failed): let a retry run afresh.
            try? await store.releaseIdempotent(key)
            throw error
        }
    }

    /// Books (or holds) the seats, timed by outcome; with a key, the answer is stored in the
    /// booking's transaction.
    private func book(
        _ body: Components.Schemas.CreateBookingRequest, for user: User, idempotency key: IdempotencyKey?
    ) async throws -> Booking {
        let started = ContinuousClock.now
        let result = await Result { try await attemptBooking(body, for: user, idempotency: key) }
        if let outcome = MarqueeMetrics.outcome(of: result) {
            metrics.booking(outcome, duration: started.duration(to: .now))
        }
        return try result.get()
    }

    private func attemptBooking(
        _ body: Components.Schemas.CreateBookingRequest, for user: User, idempotency key: IdempotencyKey?
    ) async throws -> Booking {
        guard Identifier.isWellFormed(body.showId) else { throw MarqueeError.notFound("show") }
        let seats = try SeatSet(body.seats, maximum: configuration.maxSeatsPerBooking)
        let now = clock()
        let hold = body.hold == true
        var request = BookingRequest(
            showId: body.showId, userId: user.id, userName: user.name, seats: seats,
            holdUntil: hold ? now.addingTimeInterval(configuration.holdDuration.seconds) : nil,
            maxActiveHolds: hold ? configuration.maxActiveHolds : nil)
        if let key {
            let answer = try Self.answerEncoder.encode(BookingBody(request.booking(at: now)))
            request.idempotency = (key, StoredResponse(status: 201, body: String(decoding: answer, as: UTF8.self)))
        }
        let booking = try await bookings.book(request, now: now)
        announceChange(showId: booking.showId)
        return booking
    }

    /// The request as the key's fingerprint sees it: same show, seats and hold, same request.
    static func fingerprint(_ body: Components.Schemas.CreateBookingRequest) -> String {
        let canonical = "\(body.showId)|\(body.seats.map(String.init).joined(separator: ","))|\(body.hold ?? false)"
        return SHA256.hash(data: Data(canonical.utf8)).hexString
    }

    /// Encodes stored answers as the API writes them (RFC 3339 times in whole seconds).
    private static var answerEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let transcoder = RFC3339DateTranscoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try transcoder.encode(date))
        }
        return encoder
    }

    func confirmBooking(_ input: Operations.ConfirmBooking.Input) async throws -> Operations.ConfirmBooking.Output {
        .ok(.init(body: .json(.init(try await settle(.confirm, input.path.id)))))
    }

    func cancelBooking(_ input: Operations.CancelBooking.Input) async throws -> Operations.CancelBooking.Output {
        .ok(.init(body: .json(.init(try await settle(.cancel, input.path.id)))))
    }

    private func settle(_ action: BookingAction, _ bookingId: String) async throws -> Booking {
        let user = try await authenticatedUser()
        do {
            let booking = try await store.settle(
                action, bookingId: bookingId, userId: user.id, isAdmin: user.role == .admin, now: clock())
            announceChange(showId: booking.showId)
            return booking
        } catch {
            // A lapsed hold is marked EXPIRED on the way to this refusal: that is news too.
            changes.unseenChange()
            throw error
        }
    }

    func listBookings(_ input: Operations.ListBookings.Input) async throws -> Operations.ListBookings.Output {
        let user = try await authenticatedUser()
        let bookings = try await store.bookings(userId: user.id)
        return .ok(.init(body: .json(.init(items: bookings.map(BookingBody.init)))))
    }

    func getBooking(_ input: Operations.GetBooking.Input) async throws -> Operations.GetBooking.Output {
        let user = try await authenticatedUser()
        // Another user's booking is answered exactly like a missing one.
        guard let booking = try await store.booking(id: input.path.id),
            booking.userId == user.id || user.role == .admin
        else { throw MarqueeError.notFound("booking") }
        return .ok(.init(body: .json(.init(booking))))
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
