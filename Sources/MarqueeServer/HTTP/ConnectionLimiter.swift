import NIOConcurrencyHelpers
import NIOCore

/// Counts the connections open at once (`MARQUEE_MAX_CONNECTIONS`), so that a flood of
/// them runs into a limit Marquee chose rather than into the process's file descriptors.
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let open = NIOLockedValueBox(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection in; false (and nothing counted) when the limit is reached.
    func admit() -> Bool {
        open.withLockedValue { open in
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    func release() {
        open.withLockedValue { $0 -= 1 }
    }
}

/// One connection's place under the ``ConnectionLimiter``: taken when the connection's
/// pipeline is set up, given back when it closes. A connection past the limit is closed
/// before it is read.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let limiter: ConnectionLimiter
    private var admitted = false

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        admitted = limiter.admit()
        if !admitted { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if admitted { limiter.release() }
        admitted = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted else { return }
        context.fireChannelRead(data)
    }
}
