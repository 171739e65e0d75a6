import NIOConcurrencyHelpers

/// Says "this instance just committed a change" to whoever turns changes into events: the
/// outbox reader here, and (on PostgreSQL) the notifier that wakes the other instances.
/// Pokes coalesce: a reader that is busy sees one more wake-up, not one per change.
final class ChangeFeed: Sendable {
    private let readers = NIOLockedValueBox<[AsyncStream<Void>.Continuation]>([])

    /// A new stream of wake-ups; at most one is kept waiting.
    func wakeups() -> (stream: AsyncStream<Void>, wake: AsyncStream<Void>.Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        readers.withLockedValue { $0.append(continuation) }
        return (stream, continuation)
    }

    func poke() {
        for reader in readers.withLockedValue({ $0 }) { reader.yield() }
    }
}
