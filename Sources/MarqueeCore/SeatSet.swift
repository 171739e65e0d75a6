/// The seats one booking asks for (or a show's blocked seats): without duplicates, sorted
/// ascending, and non-empty for a booking.
///
/// Whether they exist in a show is checked against that show's `totalSeats` with
/// ``outOfRange(totalSeats:)``, inside the booking transaction that reads the show.
public struct SeatSet: Sendable, Equatable {
    /// The seat numbers, ascending.
    public let seats: [Int]

    /// Checks `requested` against the rules that need no show: non-empty (unless
    /// `allowingEmpty`), no duplicates, every number positive, and at most `maximum` seats.
    public init(_ requested: [Int], maximum: Int, allowingEmpty: Bool = false) throws(MarqueeError) {
        guard !requested.isEmpty || allowingEmpty else {
            throw .validation([FieldError(field: "seats", message: "Choose at least one seat.")])
        }
        guard requested.count <= maximum else {
            throw .validation([
                FieldError(field: "seats", message: "A booking can have at most \(maximum) seats.")
            ])
        }
        let sorted = requested.sorted()
        var duplicates: [Int] = []
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous == next {
            if duplicates.last != next { duplicates.append(next) }
        }
        guard duplicates.isEmpty else {
            let list = duplicates.map(String.init).joined(separator: ", ")
            throw .validation([FieldError(field: "seats", message: "Seats appear more than once: \(list).")])
        }
        if let first = sorted.first, first < 1 {
            throw .validation([FieldError(field: "seats", message: "Seat numbers start at 1.")])
        }
        self.seats = sorted
    }

    /// The seats that do not exist in a show of `totalSeats` seats.
    public func outOfRange(totalSeats: Int) -> [Int] {
        seats.filter { $0 < 1 || $0 > totalSeats }
    }

    /// The error for seats that do not exist in a show of `totalSeats` seats.
    public static func rangeError(totalSeats: Int) -> MarqueeError {
        .validation([FieldError(field: "seats", message: "Seats of this show are numbered 1 to \(totalSeats).")])
    }
}
