import NIOConcurrencyHelpers

/// Says "this instance just committed a change" to whoever turns changes into events: the
/// outbox reader here, and (on PostgreSQL) the notifier that wakes the other instances.
/// Pokes coalesce: a reader that is busy sees one more wake-up, not one per change.
final class ChangeFeed: Sendable {
    private let readers = NIOLockedValueBox<[AsyncStream<Void>.Continuation]>([])

    /// A new reader's wake-ups; at most one is kept waiting.
    func wakeups() -> Wakeups {
        let wakeups = Wakeups()
        readers.withLockedValue { $0.append(wakeups.continuation) }
        return wakeups
    }

    func poke() {
        for reader in readers.withLockedValue({ $0 }) { reader.yield() }
    }
}

/// One reader's wake-ups: from the ``ChangeFeed``, from ``poke()``, and from a timer.
struct Wakeups: Sendable {
    fileprivate let stream: AsyncStream<Void>
    fileprivate let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func poke() { continuation.yield() }

    /// Runs `work` after each wake-up, and at least every `interval` if one is given (the
    /// floor under a lost wake-up), until the task is cancelled. Wake-ups during a run
    /// coalesce into one more run.
    func run(every interval: Duration?, _ work: () async -> Void) async {
        await withDiscardingTaskGroup { group in
            if let interval {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield()
                    }
                }
            }
            for await _ in stream { await work() }
            group.cancelAll()
        }
    }
}
