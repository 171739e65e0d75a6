/// What a buyer asks for: seats of one show, booked at once or held. Checked and turned into
/// a ``BookingRequest`` by the server's booking desk.
public struct BookingOrder: Sendable, Equatable {
    /// Which seats: these numbers, or the best available that fit a request.
    public enum Seats: Sendable, Equatable {
        case numbers([Int])
        case best(BestAvailable.Request)
    }

    public var showId: String
    public var seats: Seats
    /// True holds the seats for a while (`PENDING`); false books them (`CONFIRMED`).
    public var hold: Bool
    /// For a show with a queue: the entry whose pass the buyer sent, once the pass is checked.
    public var queueEntryId: String?

    public init(showId: String, seats: Seats, hold: Bool) {
        self.showId = showId
        self.seats = seats
        self.hold = hold
    }

    public init(showId: String, seats: [Int], hold: Bool) {
        self.init(showId: showId, seats: .numbers(seats), hold: hold)
    }

    /// The order from a request body, which must name exactly one of `seats` and `quantity`;
    /// the filters go with `quantity` (beside `seats` they are ignored).
    public init(
        showId: String, seats: [Int]?, quantity: Int?, section: String?, category: String?, accessible: Bool?,
        hold: Bool
    ) throws(MarqueeError) {
        switch (seats, quantity) {
        case (let seats?, nil):
            self.init(showId: showId, seats: .numbers(seats), hold: hold)
        case (nil, let quantity?):
            let text = TextRules.nulErrors(["section": section ?? "", "category": category ?? ""])
            guard text.isEmpty else { throw .validation(text) }
            self.init(
                showId: showId,
                seats: .best(.init(quantity: quantity, section: section, category: category, accessible: accessible == true)),
                hold: hold)
        case (nil, nil):
            throw .validation([FieldError(field: "seats", message: "Give seats, or a quantity for the best available.")])
        case (_?, _?):
            throw .validation([FieldError(field: "quantity", message: "Give seats or quantity, not both.")])
        }
    }
}
