import Foundation
import MarqueeCore
@testable import MarqueeServer
import MarqueeTestSupport
import Synchronization
import Testing

/// The live-stream hub and the stream a client reads: each show's events, written once as
/// Server-Sent Events, and nothing left behind when a client goes.
@Suite struct LiveStreamHubTests {
    static func event(_ id: Int64, show: String = "s1", _ kind: BookingEvent.Kind = .bookingConfirmed, seats: [Int] = [1])
        -> BookingEvent
    {
        BookingEvent(id: id, kind: kind, showId: show, bookingId: "b\(id)", seats: seats, createdAt: Date())
    }
    @Test func aStreamGetsOnlyItsShowsSeatChangesWrittenAsServerSentEvents() async throws {
        let hub = LiveStreamHub()
        let subscription = try hub.subscribe(showId: "s1")
        hub.publish([
            Self.event(1, show: "s2"), Self.event(2, .holdConfirmed), Self.event(3, .bookingCancelled, seats: [4]),
        ])
        hub.heartbeat()
        subscription.finish()
        var received: [String] = []
        for await item in subscription.items {
            switch item {
            case .event(let id, let frame): received.append("\(id): \(String(decoding: frame, as: UTF8.self))")
            case .heartbeat: received.append("heartbeat")
            case .frame(let frame): received.append(String(decoding: frame, as: UTF8.self))
            }
        }
        #expect(received == ["3: id: 3\nevent: seats\ndata: {\"taken\":[],\"freed\":[4]}\n\n", "heartbeat"],
                "another show's event and a confirm that changes no seat are not sent")
        #expect(hub.subscriberCount == 0, "a finished stream is forgotten")
    }

    @Test func aStreamThatFallsTooFarBehindIsEndedNotFedAPartialPicture() async throws {
        let hub = LiveStreamHub(backlog: 2)
        let subscription = try hub.subscribe(showId: "s1")
        hub.publish((1...5).map { Self.event($0) })
        var received: [Int64] = []
        for await item in subscription.items {
            if case .event(let id, _) = item { received.append(id) }
        }
        #expect(received == [1, 2], "the stream ended after its backlog filled")
    }

    @Test func aLiveStreamOpensThenSkipsWhatItsOpeningCoveredAndEndsWithTheSubscription() async throws {
        let hub = LiveStreamHub()
        let subscription = try hub.subscribe(showId: "s1")
        let stream = LiveSeatStream(opening: "OPEN\n", subscription: subscription, after: 2)
        hub.publish([Self.event(2), Self.event(3, seats: [9])])
        hub.heartbeat()
        subscription.finish()
        var text = ""
        for await part in stream { text += String(decoding: part, as: UTF8.self) }
        #expect(text == "OPEN\nid: 3\nevent: seats\ndata: {\"taken\":[9],\"freed\":[]}\n\n: heartbeat\n\n")
    }

    @Test func aClientThatGoesAwayEndsItsSubscription() async throws {
        let hub = LiveStreamHub()
        do {
            let stream = LiveSeatStream(opening: "", subscription: try hub.subscribe(showId: "s1"), after: 0)
            var iterator = stream.makeAsyncIterator()
            _ = await iterator.next()
            #expect(hub.subscriberCount == 1)
        }
        #expect(hub.subscriberCount == 0, "dropping the stream's reader forgets the subscription")
    }

    @Test func anAddressMayHaveOnlySoManyStreamsAndGetsOneBackWhenOneCloses() throws {
        let hub = LiveStreamHub()
        // A subscription nobody holds ends at once, so each is kept while it counts.
        let first = try hub.subscribe(showId: "s1", address: "203.0.113.1", limit: 2)
        let second = try hub.subscribe(showId: "s2", address: "203.0.113.1", limit: 2)
        #expect(throws: MarqueeError.tooManyStreams(limit: 2)) {
            try hub.subscribe(showId: "s1", address: "203.0.113.1", limit: 2)
        }
        #expect(hub.subscriberCount == 2, "a refused stream opens nothing")
        let other = try hub.subscribe(showId: "s1", address: "198.51.100.2", limit: 2)
        first.finish()
        let again = try hub.subscribe(showId: "s1", address: "203.0.113.1", limit: 2)
        withExtendedLifetime((second, other, again)) { #expect(hub.subscriberCount == 3) }
    }
}
