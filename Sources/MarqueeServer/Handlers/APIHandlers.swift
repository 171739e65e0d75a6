import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import Prometheus

/// Marquee's implementation of the generated `APIProtocol`: each operation of openapi.yaml
/// is one method, in the `APIHandlers+…` files by topic. Handlers throw domain errors;
/// ``ProblemMiddleware`` turns them into problem details.
struct APIHandlers: APIProtocol {
    let store: any BookingStore
    let tokens: TokenAuthority
    let passwords: PasswordHasher
    let throttle: LoginThrottle
    let configuration: AppConfiguration
    let metrics: MarqueeMetrics
    /// What `/metrics` shows.
    let registry: PrometheusCollectorRegistry
    let clock: @Sendable () -> Date
    /// Live seat events, by show, for `GET /api/shows/{id}/events`.
    let events: LiveStreamHub
    /// Live queue status, by show, for `GET /api/shows/{id}/queue/events`.
    let queueStreams: LiveStreamHub
    /// Accounts read recently for tokens.
    let accounts: AccountCache
    /// Where booking orders go: idempotency, admission, the transaction, and the news of it.
    let desk: BookingDesk

    /// Sessions ended before their tokens expire.
    let revocations: SessionRevocations
    /// Venues' plans and shows' venues, kept once read.
    var plans: SeatPlans { desk.plans }

    /// The user the request's bearer token names; 401 without a valid token.
    func authenticatedUser() async throws -> User {
        try await authenticatedSession().user
    }

    /// The user the request's bearer token names, and what the token says; 401 without a
    /// valid token or when its session has ended.
    func authenticatedSession() async throws -> (user: User, token: VerifiedToken) {
        guard let raw = RequestScope.current.bearerToken else {
            throw MarqueeError.unauthenticated("Sign in and send Authorization: Bearer <token>.")
        }
        let token = try await tokens.verify(raw)
        guard !revocations.refuses(token) else {
            throw MarqueeError.unauthenticated("This session has ended. Log in again.")
        }
        let id = token.subject
        guard let user = try await accounts.user(id: id, read: { try await store.user(id: id) }) else {
            throw MarqueeError.unauthenticated("The token's account no longer exists.")
        }
        RequestScope.current.user.withLockedValue { $0 = user.id }
        return (user, token)
    }
}

// MARK: Domain values as API schemas

extension Components.Schemas.User {
    init(_ user: User) {
        self.init(
            id: user.id, name: user.name, email: user.email, role: user.role == .admin ? .admin : .customer,
            createdAt: user.createdAt)
    }
}

extension ShowBody {
    init(_ show: Show) {
        self.init(
            id: show.id, name: show.name, startTime: show.startTime, totalSeats: show.totalSeats,
            availableSeats: show.availableSeats, createdAt: show.createdAt, venueId: show.venueId,
            onSaleAt: show.onSaleAt,
            queue: show.queue.map {
                .init(state: .init($0.state), admitPerMinute: $0.admitPerMinute, passSeconds: $0.passSeconds)
            })
    }
}

extension BookingBody {
    init(_ booking: Booking, labels: [String]) {
        let status: Components.Schemas.BookingStatus =
            switch booking.status {
            case .pending: .pending
            case .confirmed: .confirmed
            case .cancelled: .cancelled
            case .expired: .expired
            }
        self.init(
            id: booking.id, showId: booking.showId, userId: booking.userId, userName: booking.userName,
            seats: booking.seats, seatLabels: labels, status: status, createdAt: booking.createdAt,
            expiresAt: booking.status == .pending ? booking.expiresAt : nil)
    }
}
