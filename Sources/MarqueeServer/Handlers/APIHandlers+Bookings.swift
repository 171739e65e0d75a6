import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore

extension APIHandlers {
    func createBooking(_ input: Operations.CreateBooking.Input) async throws -> Operations.CreateBooking.Output {
        let user = try await authenticatedUser()
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        let key = RequestScope.current.idempotencyKey
        if let key, !(1...255).contains(key.count) {
            throw Problem(
                .badRequest, "bad-idempotency-key", "Bad Idempotency-Key",
                detail: "An Idempotency-Key has 1 to 255 characters.")
        }
        let order = try BookingOrder(
            showId: body.showId, seats: body.seats, quantity: body.quantity, section: body.section,
            category: body.category, accessible: body.accessible, hold: body.hold == true)
        switch try await desk.book(order, for: user, idempotencyKey: key, pass: input.headers.queuePass) {
        case .booked(let booking, let labels):
            return .created(.init(body: .json(.init(booking, labels: labels))))
        case .replayed(let stored):
            // The first answer as it was sent, whatever its status: RequestScopeMiddleware writes it.
            RequestScope.current.replay.withLockedValue { $0 = stored }
            return .undocumented(statusCode: stored.status, .init())
        }
    }

    func confirmBooking(_ input: Operations.ConfirmBooking.Input) async throws -> Operations.ConfirmBooking.Output {
        .ok(.init(body: .json(try await body(desk.settle(.confirm, bookingId: input.path.id, by: authenticatedUser())))))
    }

    func cancelBooking(_ input: Operations.CancelBooking.Input) async throws -> Operations.CancelBooking.Output {
        .ok(.init(body: .json(try await body(desk.settle(.cancel, bookingId: input.path.id, by: authenticatedUser())))))
    }

    func listBookings(_ input: Operations.ListBookings.Input) async throws -> Operations.ListBookings.Output {
        let user = try await authenticatedUser()
        var items: [BookingBody] = []
        for booking in try await store.bookings(userId: user.id) { items.append(try await body(booking)) }
        return .ok(.init(body: .json(.init(items: items))))
    }

    /// A booking as the API writes it, its seats named by the show's plan.
    private func body(_ booking: Booking) async throws -> BookingBody {
        BookingBody(booking, labels: try await plans.labels(showId: booking.showId, seats: booking.seats))
    }

    func getBooking(_ input: Operations.GetBooking.Input) async throws -> Operations.GetBooking.Output {
        let user = try await authenticatedUser()
        // Another user's booking is answered exactly like a missing one.
        guard let booking = try await store.booking(id: input.path.id),
            booking.userId == user.id || user.role == .admin
        else { throw MarqueeError.notFound("booking") }
        return .ok(.init(body: .json(try await body(booking))))
    }
}

extension BookingDesk.Transcript {
    /// Answers written as the API writes them: compact JSON with sorted keys, RFC 3339 times
    /// in whole seconds, refusals as problem details.
    static let api = BookingDesk.Transcript(
        booked: { booking, labels in
            StoredResponse(status: 201, body: String(decoding: try APIJSON.encode(BookingBody(booking, labels: labels)), as: UTF8.self))
        },
        refused: { error in Problem(error).stored })
}
