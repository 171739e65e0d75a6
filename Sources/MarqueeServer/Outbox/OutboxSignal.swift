import NIOConcurrencyHelpers

/// The one way to say "something changed: read the outbox". Its subscribers are the
/// ``OutboxReader`` (live streams and the read cache), the ``WebhookDispatcher`` and, on
/// PostgreSQL, the ``InstanceNotifier`` that wakes the other instances. Each subscriber gets
/// ``OutboxWakeups``, which coalesce: a busy subscriber sees one more wake-up, not one per
/// change. The vocabulary of this folder: the signal (this), the wake-ups, the reader, the
/// live-stream hub (``LiveStreamHub``), and the listener and notifier between instances
/// (``InstanceListener`` in MarqueeStore, ``InstanceNotifier``).
final class OutboxSignal: Sendable {
    private struct Reader {
        let continuation: AsyncStream<Void>.Continuation
        let wantsOwnChanges: @Sendable () -> Bool
    }

    private let readers = NIOLockedValueBox<[Reader]>([])

    /// A new reader's wake-ups; at most one is kept waiting. `wantsOwnChanges` is asked at
    /// each ``ownCommit()``: a reader that answers false is not woken by it.
    func subscribe(wantsOwnChanges: @escaping @Sendable () -> Bool = { true }) -> OutboxWakeups {
        let wakeups = OutboxWakeups()
        readers.withLockedValue { $0.append(Reader(continuation: wakeups.continuation, wantsOwnChanges: wantsOwnChanges)) }
        return wakeups
    }

    /// A change no reader here has seen: holds the sweeper expired, or one a refused settle found lapsed.
    func unseenChange() {
        for reader in readers.withLockedValue({ $0 }) { reader.continuation.yield() }
    }

    /// A change this instance committed, whose show has already left the read cache.
    func ownCommit() {
        for reader in readers.withLockedValue({ $0 }) where reader.wantsOwnChanges() { reader.continuation.yield() }
    }
}
