import HTTPTypes
import MarqueeCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Answers a request that cannot be parsed with a problem like any other, instead of
/// Hummingbird's bare 400 with no body and no request id: headers over the limit get 431,
/// any other malformed head 400, each with `X-Request-ID` and `Connection: close`.
///
/// It acts only before a request's head has arrived. A parse error in the middle of a body
/// (a bad chunk size, say) reaches the handler reading that body as an error, and
/// ``ProblemMiddleware`` answers it, so a cut-off body is never taken for a whole one.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// API.md: "Request headers over 16 KiB in all: 431".
    static let maxHeaderBytes = 16 * 1024

    private var betweenRequests = true
    private var answered = false
    /// How long the first request's head may take to arrive once the connection is open: a
    /// client trickling a request line (slowloris) never falls silent for the idle timeout,
    /// and is let go after this instead.
    private let headTimeout: TimeAmount?
    /// The same for each later request on the connection, counted from the last answer:
    /// the idle timeout, so a quiet keep-alive connection lasts as long as ever.
    private let laterHeadTimeout: TimeAmount?
    private var headTimer: Scheduled<Void>?
    private var firstRequest = true
    /// A refusal for a request that came while another's answer was still being written.
    private var pendingRefusal: Problem?

    static let noTunnels = Problem(
        .methodNotAllowed, "method-not-allowed", "Method not allowed",
        detail: "CONNECT is not served here: this is not a proxy.")

    static let badHost = Problem(
        .badRequest, "malformed-request", "Malformed request",
        detail: "An HTTP/1.1 request needs exactly one Host header with a valid value.")

    static let headTooSlow = Problem(
        .init(code: 408), "request-timeout", "Request timeout",
        detail: "The request's headers did not arrive in time.")

    init(headTimeout: TimeAmount? = nil, laterHeadTimeout: TimeAmount? = nil) {
        self.headTimeout = headTimeout
        self.laterHeadTimeout = laterHeadTimeout
    }

    /// The HTTP/1.1 version of a request is gone by the time it reaches this handler, so a
    /// ``HostRequirementHandler`` goes before the conversion and marks a request whose Host
    /// is missing or wrong.
    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? pipeline.addHandler(HostRequirementHandler(), position: .before(codec))
        }
        startHeadTimer(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headTimer?.cancel()
    }

    private func startHeadTimer(_ context: ChannelHandlerContext) {
        headTimer?.cancel()
        guard let headTimeout = firstRequest ? headTimeout : laterHeadTimeout else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        headTimer = context.eventLoop.scheduleTask(in: headTimeout) {
            let (handler, context) = loopBound.value
            guard handler.betweenRequests, !handler.answered else { return }
            handler.answer(context, Self.headTooSlow)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered, pendingRefusal == nil else { return }  // the connection is closing: drop what follows
        if case .head(let head) = unwrapInboundIn(data) {
            // Marquee is no proxy: a tunnel request gets a plain refusal rather than the
            // framing HTTP gives CONNECT answers (a head and then the raw tunnel).
            let refusal =
                head.method == .connect
                ? Self.noTunnels : head.headerFields[HostRequirementHandler.marker] != nil ? Self.badHost : nil
            if let refusal {
                // After the answer to any request still in progress, never in its middle.
                if betweenRequests { answer(context, refusal) } else { pendingRefusal = refusal }
                return
            }
            betweenRequests = false
            firstRequest = false
            headTimer?.cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        betweenRequests = true
        context.write(data, promise: promise)
        if let pendingRefusal, !answered { answer(context, pendingRefusal) } else { startHeadTimer(context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parse = error as? HTTPParserError, betweenRequests else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answer(context, Self.problem(for: parse))
    }

    /// Writes `problem` as the connection's last answer, then closes it.
    private func answer(_ context: ChannelHandlerContext, _ problem: Problem) {
        answered = true
        let body = problem.encodedBody
        var head = HTTPResponse(status: problem.status)
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(body.count)
        head.headerFields[.connection] = "close"
        head.headerFields[RequestScopeMiddleware.header] = Identifier.make()
        head.headerFields[.xContentTypeOptions] = "nosniff"
        if problem.status == .methodNotAllowed { head.headerFields[.allow] = "GET, HEAD, POST, DELETE" }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    static func problem(for error: HTTPParserError) -> Problem {
        if case .headerOverflow = error {
            return Problem(
                .init(code: 431), "headers-too-large", "Request headers too large",
                detail: "Send at most \(maxHeaderBytes / 1024) KiB of headers in all.")
        }
        return Problem(.badRequest, "malformed-request", "Malformed request", detail: "The request is not valid HTTP/1.1.")
    }
}

/// Marks an HTTP/1.1 request without exactly one valid `Host` (RFC 9112, section 3.2: such a
/// request gets 400) for ``MalformedRequestHandler``, which sees requests only after their
/// version is dropped. A marker a client sent itself is removed first.
final class HostRequirementHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    static let markerName = "x-marquee-invalid-host"
    static let marker = HTTPField.Name(markerName)!

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: Self.markerName)
        let hosts = head.headers["Host"]
        let valid = hosts.count == 1 && hosts[0].utf8.allSatisfy(Self.isAuthorityByte)
        let atLeast11 = head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1)
        if atLeast11, !valid { head.headers.add(name: Self.markerName, value: "1") }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    /// The bytes a Host value (`host [":" port]`, RFC 3986 authority without userinfo) may hold.
    static func isAuthorityByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("-._~%!$&'()*+,;=:[]".utf8).contains(byte)
        }
    }
}
