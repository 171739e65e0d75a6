import MarqueeAPI
import MarqueeCore
import MarqueeStore

extension APIHandlers {
    func createBooking(_ input: Operations.CreateBooking.Input) async throws -> Operations.CreateBooking.Output {
        let user = try await authenticatedUser()
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        guard Identifier.isWellFormed(body.showId) else { throw MarqueeError.notFound("show") }
        let seats = try SeatSet(body.seats, maximum: configuration.maxSeatsPerBooking)
        if body.hold == true {
            // Holds arrive with the holds issue; until then say so rather than book for good.
            throw MarqueeError.validation([
                FieldError(field: "hold", message: "Holds are not available yet; book without hold.")
            ])
        }
        let booking = try await store.book(
            BookingRequest(showId: body.showId, userId: user.id, userName: user.name, seats: seats), now: clock())
        return .created(.init(body: .json(.init(booking))))
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
