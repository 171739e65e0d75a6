/// What a buyer asks for: seats of one show, booked at once or held. Checked and turned into
/// a ``BookingRequest`` by the server's booking desk.
public struct BookingOrder: Sendable, Equatable {
    public var showId: String
    public var seats: [Int]
    /// True holds the seats for a while (`PENDING`); false books them (`CONFIRMED`).
    public var hold: Bool

    public init(showId: String, seats: [Int], hold: Bool) {
        self.showId = showId
        self.seats = seats
        self.hold = hold
    }
}
