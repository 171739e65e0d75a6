/// A venue's seating plan (API.md, "Seating plans (venues)"): where each seat number
/// `1...totalSeats` is. Order carries meaning: sections as listed, rows front (nearest the
/// stage) to back, seats left to right. An aisle before a seat breaks adjacency.
public struct Layout: Sendable, Equatable, Codable {
    public var version: Int
    public var stage: Stage?
    public var categories: [Category]
    public var sections: [Section]

    public struct Stage: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        public var label: String?

        public init(x: Double, y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public struct Category: Sendable, Equatable, Codable {
        public var key: String
        public var label: String
        public var color: String

        public init(key: String, label: String, color: String) {
            self.key = key
            self.label = label
            self.color = color
        }
    }

    public struct Section: Sendable, Equatable, Codable {
        public var key: String
        public var label: String
        public var rows: [Row]

        public init(key: String, label: String, rows: [Row]) {
            self.key = key
            self.label = label
            self.rows = rows
        }
    }

    public struct Row: Sendable, Equatable, Codable {
        public var label: String
        public var seats: [Seat]

        public init(label: String, seats: [Seat]) {
            self.label = label
            self.seats = seats
        }
    }

    public struct Seat: Sendable, Equatable, Codable {
        public var n: Int
        public var label: String
        public var x: Double?
        public var y: Double?
        public var category: String?
        public var accessible: Bool?
        public var companion: Bool?
        public var aisleBefore: Bool?

        public init(
            n: Int, label: String, x: Double? = nil, y: Double? = nil, category: String? = nil,
            accessible: Bool? = nil, companion: Bool? = nil, aisleBefore: Bool? = nil
        ) {
            self.n = n
            self.label = label
            self.x = x
            self.y = y
            self.category = category
            self.accessible = accessible
            self.companion = companion
            self.aisleBefore = aisleBefore
        }

        public var isAccessible: Bool { accessible == true }
        public var isCompanion: Bool { companion == true }
        public var hasAisleBefore: Bool { aisleBefore == true }
    }

    public init(version: Int = 1, stage: Stage? = nil, categories: [Category] = [], sections: [Section]) {
        self.version = version
        self.stage = stage
        self.categories = categories
        self.sections = sections
    }

    /// Every seat, in plan order.
    public var seats: [Seat] { sections.flatMap { $0.rows.flatMap(\.seats) } }

    /// How many seats the plan has.
    public var totalSeats: Int { sections.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.seats.count } } }
}

/// Each seat's place in a plan, by number: read once per plan and kept with it, so labels and
/// sections are looked up, not searched for.
public struct SeatIndex: Sendable {
    public struct Place: Sendable, Equatable {
        public var section: Int
        public var row: Int
        public var seat: Int
    }

    public let layout: Layout
    private let places: [Place?]
    /// Whether every seat has `x` and `y` (then best available measures from the stage).
    public let isPlaced: Bool
    /// The seats row by row in flat arrays, for best available's search.
    let flat: FlatSeats

    public init(_ layout: Layout) {
        self.layout = layout
        self.isPlaced = layout.sections.allSatisfy { $0.rows.allSatisfy { $0.seats.allSatisfy { $0.x != nil && $0.y != nil } } }
        self.flat = FlatSeats(layout)
        var places = [Place?](repeating: nil, count: layout.totalSeats + 1)
        for (s, section) in layout.sections.enumerated() {
            for (r, row) in section.rows.enumerated() {
                for (i, seat) in row.seats.enumerated() where seat.n >= 1 && seat.n < places.count {
                    places[seat.n] = Place(section: s, row: r, seat: i)
                }
            }
        }
        self.places = places
    }

    public func place(of n: Int) -> Place? {
        n >= 1 && n < places.count ? places[n] : nil
    }

    /// "Stalls, Row A, Seat 3": how a booking names a seat of this plan.
    public func label(of n: Int) -> String {
        guard let place = place(of: n) else { return SeatLabels.plain(n) }
        let section = layout.sections[place.section]
        let row = section.rows[place.row]
        return "\(section.label), Row \(row.label), Seat \(row.seats[place.seat].label)"
    }
}

/// A plan's seats in arrays, row after row, without strings: what best available reads for
/// every seat of a hall on every order, so it reads numbers and flags, not `Seat` values.
struct FlatSeats: Sendable {
    /// Row `r` is seats `rowStart[r]..<rowStart[r + 1]`.
    var rowStart: [Int] = [0]
    var rowSection: [Int] = []
    /// The row's place in its section, from the front.
    var rowInSection: [Int] = []
    var n: [Int] = []
    var x: [Double] = []
    var y: [Double] = []
    var accessible: [Bool] = []
    var companion: [Bool] = []
    var aisleBefore: [Bool] = []
    /// An index into `categoryKeys`, or -1.
    var category: [Int] = []
    var sectionKeys: [String] = []
    var categoryKeys: [String] = []
    /// For each row, the nearest to the stage any block of it can be (the first part of a
    /// block's distance, never more): the distance from the stage to the box around the
    /// row's seats, or, without coordinates, the row's place from the front.
    var rowBound: [Double] = []
    /// The rows, nearest bound first: best available can stop once no row left can win.
    var rowOrder: [Int] = []

    init(_ layout: Layout) {
        var categories: [String: Int] = [:]
        for (s, section) in layout.sections.enumerated() {
            sectionKeys.append(section.key)
            for (r, row) in section.rows.enumerated() {
                for seat in row.seats {
                    n.append(seat.n)
                    x.append(seat.x ?? 0)
                    y.append(seat.y ?? 0)
                    accessible.append(seat.isAccessible)
                    companion.append(seat.isCompanion)
                    aisleBefore.append(seat.hasAisleBefore)
                    if let key = seat.category {
                        if categories[key] == nil {
                            categories[key] = categoryKeys.count
                            categoryKeys.append(key)
                        }
                        category.append(categories[key]!)
                    } else {
                        category.append(-1)
                    }
                }
                rowStart.append(n.count)
                rowSection.append(s)
                rowInSection.append(r)
            }
        }
        let placed = layout.stage != nil && layout.sections.allSatisfy { $0.rows.allSatisfy { $0.seats.allSatisfy { $0.x != nil && $0.y != nil } } }
        for r in rowSection.indices {
            let seats = rowStart[r]..<rowStart[r + 1]
            guard placed, let stage = layout.stage, !seats.isEmpty else {
                rowBound.append(Double(rowInSection[r]))
                continue
            }
            let xs = x[seats]
            let ys = y[seats]
            let dx = max(xs.min()! - stage.x, 0, stage.x - xs.max()!)
            let dy = max(ys.min()! - stage.y, 0, stage.y - ys.max()!)
            rowBound.append((dx * dx + dy * dy).squareRoot())
        }
        rowOrder = rowSection.indices.sorted { (rowBound[$0], $0) < (rowBound[$1], $1) }
    }
}

/// Seat labels for shows without a plan.
public enum SeatLabels {
    public static func plain(_ n: Int) -> String { "Seat \(n)" }
}
