import NIOConcurrencyHelpers

/// Says "something changed" to whoever turns changes into events: the outbox reader here,
/// the webhook dispatcher and (on PostgreSQL) the notifier that wakes the other instances.
/// Pokes coalesce: a reader that is busy sees one more wake-up, not one per change.
final class ChangeFeed: Sendable {
    private struct Reader {
        let continuation: AsyncStream<Void>.Continuation
        let wantsOwnChanges: @Sendable () -> Bool
    }

    private let readers = NIOLockedValueBox<[Reader]>([])

    /// A new reader's wake-ups; at most one is kept waiting. `wantsOwnChanges` is asked at
    /// each ``announceOwnChange()``: a reader that answers false is not woken by it.
    func wakeups(wantsOwnChanges: @escaping @Sendable () -> Bool = { true }) -> Wakeups {
        let wakeups = Wakeups()
        readers.withLockedValue { $0.append(Reader(continuation: wakeups.continuation, wantsOwnChanges: wantsOwnChanges)) }
        return wakeups
    }

    /// A change no reader here has seen: holds the sweeper expired, or one a refused settle found lapsed.
    func poke() {
        for reader in readers.withLockedValue({ $0 }) { reader.continuation.yield() }
    }

    /// A change this instance committed, whose show has already left the read cache.
    func announceOwnChange() {
        for reader in readers.withLockedValue({ $0 }) where reader.wantsOwnChanges() { reader.continuation.yield() }
    }
}

/// One reader's wake-ups: from the ``ChangeFeed``, from ``poke()``, and from a timer.
struct Wakeups: Sendable {
    let stream: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation

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
