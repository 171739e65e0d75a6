import Foundation
import MarqueeCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// How long work may wait on the database (API.md, "Failure behaviour and hardening (v2)").
///
/// The server gives each request one budget (``current``, set once per request), and every
/// database wait inside it, a pooled connection, a statement or a booking batch, ends by
/// then. Work outside a request (sweepers, the outbox reader) gets a budget per operation. A
/// wait that runs out ends with ``MarqueeError/databaseUnavailable``: a 503, never a hang.
public enum DatabaseDeadline {
    /// The instant the current request's database waits must end by; nil outside a request.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// The request's deadline, else `limit` from now.
    static func effective(_ limit: Duration) -> ContinuousClock.Instant {
        current ?? .now + limit
    }

    /// Runs `work` until `deadline`. Past it this throws ``MarqueeError/databaseUnavailable``
    /// and cancels `work` without waiting for it: a connection still being waited for is
    /// given up, but a statement sent to a database that no longer answers cannot be called
    /// back, so it is left to end (or fail) on its own. The statement timeout bounds it
    /// on the database's side.
    static func bound<T: Sendable>(
        by deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw MarqueeError.databaseUnavailable }
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                // An event loop's timer, not a sleeping task: it costs no task, and it fires
                // even while every thread of the concurrency pool is busy.
                let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
                    in: .nanoseconds(Int64(remaining.components.seconds) * 1_000_000_000
                        + remaining.components.attoseconds / 1_000_000_000)
                ) {
                    race.finish(.failure(MarqueeError.databaseUnavailable))
                }
                race.worker(
                    Task {
                        let result: Result<T, any Error>
                        do { result = .success(try await work()) } catch { result = .failure(error) }
                        timer.cancel()
                        race.finish(result)
                    })
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }
}

/// The first of the work and the timer to finish answers; the other is then cancelled.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var worker: Task<Void, Never>?
        var result: Result<T, any Error>?
    }

    private let state = NIOLockedValueBox(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLockedValue { state -> Result<T, any Error>? in
            guard let result = state.result else {
                state.continuation = continuation
                return nil
            }
            return result
        }
        if let early { continuation.resume(with: early) }
    }

    func worker(_ task: Task<Void, Never>) {
        let finished = state.withLockedValue { state in
            state.worker = task
            return state.result != nil
        }
        if finished { task.cancel() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, worker) = state.withLockedValue { state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
            guard state.result == nil else { return (nil, nil) }
            state.result = result
            defer { state.continuation = nil }
            return (state.continuation, state.worker)
        }
        continuation?.resume(with: result)
        if case .failure = result { worker?.cancel() }
    }
}
