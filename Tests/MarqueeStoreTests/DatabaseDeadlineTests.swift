import Foundation
import MarqueeCore
import Testing

@testable import MarqueeStore

/// A wait on the database ends by its deadline whatever the work does: a statement that a
/// frozen database never answers is raced, not awaited.
@Suite struct DatabaseDeadlineTests {
    @Test func workThatNeverEndsIsAnsweredUnavailableAtTheDeadline() async throws {
        let started = ContinuousClock.now
        await #expect(throws: MarqueeError.databaseUnavailable) {
            try await DatabaseDeadline.bound(by: .now + .milliseconds(200)) {
                // Not cancellable: as a statement sent to a stopped process.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 1
            }
        }
        // Not before the deadline; soon after it, though the whole suite running at once on
        // two cores can delay any answer by seconds.
        let took = started.duration(to: .now)
        #expect(took >= .milliseconds(200) && took < .seconds(10), "\(took)")
    }

    @Test func workThatEndsInTimeAnswersAndAFailureIsItsOwn() async throws {
        // A generous deadline: with the whole suite on two cores, a task may wait seconds to
        // be run at all (it once took over 5 s).
        #expect(try await DatabaseDeadline.bound(by: .now + .seconds(30)) { 42 } == 42)
        await #expect(throws: MarqueeError.seatsTaken([3])) {
            try await DatabaseDeadline.bound(by: .now + .seconds(30)) { () async throws -> Int in
                throw MarqueeError.seatsTaken([3])
            }
        }
    }

    @Test func aSpentBudgetFailsAtOnceWithoutStartingTheWork() async throws {
        let ran = Flag()
        await #expect(throws: MarqueeError.databaseUnavailable) {
            try await DatabaseDeadline.bound(by: .now - .milliseconds(1)) {
                ran.set()
                return 1
            }
        }
        #expect(!ran.isSet)
    }

    @Test func aRequestsDeadlineGovernsEveryWaitInIt() async throws {
        let limit = Duration.seconds(30)
        #expect(DatabaseDeadline.effective(limit) > .now + .seconds(29), "outside a request: the operation's limit")
        let deadline = ContinuousClock.now + .milliseconds(300)
        DatabaseDeadline.$current.withValue(deadline) {
            #expect(DatabaseDeadline.effective(limit) == deadline)
        }
    }

    @Test func databaseFaultsAreToldFromRefusals() {
        #expect(DatabaseFault.meansUnavailable(MarqueeError.databaseUnavailable))
        #expect(!DatabaseFault.meansUnavailable(MarqueeError.seatsTaken([1])))
        #expect(!DatabaseFault.meansUnavailable(CancellationError()))
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
