import MarqueeCore

/// The text of Server-Sent Events (the WHATWG `text/event-stream` format).
enum ServerSentEvent {
    /// How long a client waits before reconnecting, in milliseconds.
    static let retry = "retry: 2000\n\n"
    static let heartbeat = ": heartbeat\n\n"

    static func snapshot(_ snapshot: SeatSnapshot) -> String {
        "id: \(snapshot.lastEventId)\nevent: snapshot\ndata: {\"takenSeats\":\(list(snapshot.takenSeats))}\n\n"
    }

    static func seats(_ event: BookingEvent) -> String {
        "id: \(event.id)\nevent: seats\ndata: {\"taken\":\(list(event.taken)),\"freed\":\(list(event.freed))}\n\n"
    }

    private static func list(_ seats: [Int]) -> String {
        "[" + seats.map(String.init).joined(separator: ",") + "]"
    }
}
