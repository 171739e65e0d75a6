import Foundation
import NIOConcurrencyHelpers

/// Opens once, when start-up work (migrations, admin bootstrap) is done; services that use
/// the schema wait for it instead of racing the migrations. A waiting task that is cancelled
/// (start-up failed, or the process is stopping) returns at once, so nothing hangs.
final class StartupGate: Sendable {
    private let state = NIOLockedValueBox<(open: Bool, waiters: [UUID: CheckedContinuation<Void, Never>])>((false, [:]))

    func open() {
        let waiters = state.withLockedValue { state in
            state.open = true
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the gate is open (at once if it already is), or the task is cancelled.
    func wait() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let passNow = state.withLockedValue { state in
                    if state.open || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if passNow { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
