import Foundation
import MarqueeCore
import Testing

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
