import Foundation

/// What a user asks to do with an existing booking.
public enum BookingAction: String, Sendable {
    case confirm
    case cancel
}

/// What an action does to a booking, decided by ``Settlement/decide(_:status:expiresAt:now:)``.
public enum Settlement: Sendable, Equatable {
    /// The booking moves to this state.
    case move(to: BookingStatus)
    /// The hold had lapsed: the booking becomes `EXPIRED` (that change is kept) and the action
    /// is answered with ``Settlement/lapsedError(for:)``.
    case lapse
}

extension Settlement {
    /// Who may act: the owner; for cancel, an admin too. Everyone else is told the booking
    /// does not exist.
    public static func mayAct(_ action: BookingAction, userId: String, isAdmin: Bool, ownerId: String) -> Bool {
        userId == ownerId || (isAdmin && action == .cancel)
    }

    /// The rules of API.md for confirm and cancel. A hold past `expiresAt` has lapsed whether
    /// or not anything has marked it yet.
    public static func decide(_ action: BookingAction, status: BookingStatus, expiresAt: Date?, now: Date)
        throws(MarqueeError) -> Settlement
    {
        if status == .pending, let expiresAt, expiresAt <= now { return .lapse }
        let target: BookingStatus = action == .confirm ? .confirmed : .cancelled
        guard status.canMove(to: target) else {
            if action == .confirm && status == .expired { throw .holdExpired }
            if action == .confirm {
                throw .conflict("Only a held (PENDING) booking can be confirmed; this one is \(status.rawValue).")
            }
            throw .conflict("This booking is already \(status.rawValue).")
        }
        return .move(to: target)
    }

    /// The answer to an action on a hold that lapsed: 410 for confirm, 409 for cancel.
    public static func lapsedError(for action: BookingAction) -> MarqueeError {
        switch action {
        case .confirm: .holdExpired
        case .cancel: .conflict("This booking is already EXPIRED.")
        }
    }
}
