/// The life of a booking. A hold is `pending` until it is confirmed, cancelled or expires;
/// a booking made without a hold starts `confirmed`.
public enum BookingStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case confirmed = "CONFIRMED"
    case cancelled = "CANCELLED"
    case expired = "EXPIRED"

    /// The states a booking in this state may move to. `cancelled` and `expired` are final.
    public var successors: Set<BookingStatus> {
        switch self {
        case .pending: [.confirmed, .cancelled, .expired]
        case .confirmed: [.cancelled]
        case .cancelled, .expired: []
        }
    }

    /// Whether moving to `next` is allowed.
    public func canMove(to next: BookingStatus) -> Bool { successors.contains(next) }
}
