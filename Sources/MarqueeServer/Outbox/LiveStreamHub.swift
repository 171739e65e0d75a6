import MarqueeCore
import NIOConcurrencyHelpers

/// Hands each show's seat events to the live streams watching that show, already written
/// as Server-Sent Events (once per event, not once per stream), and a heartbeat to every
/// stream from one timer. A stream that falls too far behind is ended rather than fed a
/// partial picture; its client reconnects with `Last-Event-ID` and catches up from the outbox.
final class LiveStreamHub: Sendable {
    /// What a stream receives.
    enum Item: Sendable {
        case event(id: Int64, frame: ArraySlice<UInt8>)
        /// A frame without an outbox id, sent as it is (a queue's status).
        case frame(ArraySlice<UInt8>)
        case heartbeat
    }

    /// One show's items from now on, and a way to stop them.
    struct Subscription: Sendable {
        let items: AsyncStream<Item>
        /// Ends the stream and forgets it.
        let finish: @Sendable () -> Void
    }

    private struct State {
        var streams: [String: [Int: AsyncStream<Item>.Continuation]] = [:]
        var nextId = 0
        /// Open streams per client address (`MARQUEE_MAX_STREAMS_PER_ADDRESS`).
        var byAddress: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// Items one stream may have waiting before it is ended.
    let backlog: Int

    init(backlog: Int = 1_000) {
        self.backlog = backlog
    }

    /// The items for one show from now on, until finished or the hub closes. With an
    /// `address`, at most `limit` streams are open for it at once: past that this throws
    /// ``MarqueeError/tooManyStreams(limit:)`` and opens nothing.
    func subscribe(showId: String, address: String? = nil, limit: Int = .max) throws(MarqueeError) -> Subscription {
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingOldest(backlog))
        let id = state.withLockedValue { state -> Int? in
            if let address {
                guard state.byAddress[address, default: 0] < limit else { return nil }
                state.byAddress[address, default: 0] += 1
            }
            state.nextId += 1
            state.streams[showId, default: [:]][state.nextId] = continuation
            return state.nextId
        }
        guard let id else { throw .tooManyStreams(limit: limit) }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { state in
                state.streams[showId]?[id] = nil
                if state.streams[showId]?.isEmpty == true { state.streams[showId] = nil }
                if let address {
                    let left = state.byAddress[address, default: 1] - 1
                    state.byAddress[address] = left > 0 ? left : nil
                }
            }
        }
        return Subscription(items: stream, finish: { continuation.finish() })
    }

    func publish(_ events: [BookingEvent]) {
        for event in events where event.changesSeats {
            let watching = state.withLockedValue { Array(($0.streams[event.showId] ?? [:]).values) }
            guard !watching.isEmpty else { continue }
            let item = Item.event(id: event.id, frame: ArraySlice(ServerSentEvent.seats(event).utf8))
            for stream in watching {
                if case .dropped = stream.yield(item) { stream.finish() }
            }
        }
    }

    /// One frame to every stream watching `key` (for queue streams, a show id).
    func send(_ frame: String, to key: String) {
        let watching = state.withLockedValue { Array(($0.streams[key] ?? [:]).values) }
        guard !watching.isEmpty else { return }
        let item = Item.frame(ArraySlice(frame.utf8))
        for stream in watching {
            if case .dropped = stream.yield(item) { stream.finish() }
        }
    }

    /// Whether any stream watches `key`.
    func isWatched(_ key: String) -> Bool { state.withLockedValue { $0.streams[key] != nil } }

    /// A comment line to every stream, so proxies keep idle connections open.
    func heartbeat() {
        for stream in state.withLockedValue({ $0.streams.values.flatMap(\.values) }) {
            if case .dropped = stream.yield(.heartbeat) { stream.finish() }
        }
    }

    /// Ends every stream (at shutdown, so open connections can close).
    func finishAll() {
        for stream in state.withLockedValue({ $0.streams.values.flatMap(\.values) }) { stream.finish() }
    }

    /// Whether any stream is open.
    var isWatched: Bool { state.withLockedValue { !$0.streams.isEmpty } }

    /// Streams open right now.
    var subscriberCount: Int { state.withLockedValue { $0.streams.values.reduce(0) { $0 + $1.count } } }
}
