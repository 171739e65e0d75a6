import MarqueeCore
import ServiceLifecycle

/// The body of `GET /api/shows/{id}/events`: the opening (a snapshot, or the events a
/// reconnecting client missed), then the show's events after `after`, and heartbeats. It
/// pulls straight from the hub, so an idle stream costs one suspended read, no task.
struct LiveSeatStream: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>

    let opening: String
    let subscription: LiveStreamHub.Subscription
    /// Events up to this id are already in the opening.
    let after: Int64

    func makeAsyncIterator() -> Iterator {
        Iterator(opening: ArraySlice(opening.utf8), items: subscription.items.makeAsyncIterator(), after: after,
                 finish: subscription.finish)
    }

    /// A class, so that when the server drops it (the client went away) the subscription ends.
    final class Iterator: AsyncIteratorProtocol {
        private var opening: ArraySlice<UInt8>?
        private var items: AsyncStream<LiveStreamHub.Item>.Iterator
        private let after: Int64
        private let finish: @Sendable () -> Void

        init(opening: ArraySlice<UInt8>, items: AsyncStream<LiveStreamHub.Item>.Iterator, after: Int64,
             finish: @escaping @Sendable () -> Void) {
            self.opening = opening
            self.items = items
            self.after = after
            self.finish = finish
        }

        deinit { finish() }

        func next() async -> ArraySlice<UInt8>? {
            if let opening {
                self.opening = nil
                return opening
            }
            while true {
                // A server shutting down ends the stream, so the connection can close.
                let item = await withGracefulShutdownHandler {
                    await items.next()
                } onGracefulShutdown: { [finish] in
                    finish()
                }
                switch item {
                case nil: return nil
                case .heartbeat: return ArraySlice(ServerSentEvent.heartbeat.utf8)
                case .event(let id, let frame) where id > after: return frame
                case .event: continue
                case .frame(let frame): return frame
                }
            }
        }
    }
}
