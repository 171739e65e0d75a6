import HTTPTypes
import MarqueeCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

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
    private var refuseAfterResponse = false

    static let noTunnels = Problem(
        .methodNotAllowed, "method-not-allowed", "Method not allowed",
        detail: "CONNECT is not served here: this is not a proxy.")

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered, !refuseAfterResponse else { return }  // the connection is closing: drop what follows
        if case .head(let head) = unwrapInboundIn(data) {
            // Marquee is no proxy: a tunnel request gets a plain refusal rather than the
            // framing HTTP gives CONNECT answers (a head and then the raw tunnel).
            if head.method == .connect {
                // After the answer to any request still in progress, never in its middle.
                if betweenRequests { answer(context, Self.noTunnels) } else { refuseAfterResponse = true }
                return
            }
            betweenRequests = false
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
        if refuseAfterResponse, !answered { answer(context, Self.noTunnels) }
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
