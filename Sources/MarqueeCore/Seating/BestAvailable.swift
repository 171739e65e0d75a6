/// Best available seats (API.md, "Seating plans", Best available): a pure function over the
/// plan, the seats that cannot be had (taken or blocked) and the buyer's filters. The store
/// books what it picks in the same transaction as any booking, and asks again without the
/// seats it lost when a concurrent buyer got there first.
public enum BestAvailable {
    public struct Request: Sendable, Equatable {
        public var quantity: Int
        public var section: String?
        public var category: String?
        public var accessible: Bool

        public init(quantity: Int, section: String? = nil, category: String? = nil, accessible: Bool = false) {
            self.quantity = quantity
            self.section = section
            self.category = category
            self.accessible = accessible
        }
    }

    public enum Choice: Sendable, Equatable {
        /// The seats to book, in row order.
        case seats([Int])
        /// No block fits; the largest block free now that matches the same filters.
        case none(largestBlock: Int)
    }

    /// Free seats that may be offered, in runs: adjacent in one row (no aisle between), each
    /// matching the filters.
    struct Run {
        var section: Int
        var row: Int
        /// Indexes into the row's seats.
        var start: Int
        var count: Int
    }

    public static func choose(_ request: Request, in layout: Layout, unavailable: Set<Int>) -> Choice {
        guard request.quantity >= 1 else { return .none(largestBlock: 0) }
        let stage = layout.stage.flatMap { stage in layout.seats.allSatisfy { $0.x != nil && $0.y != nil } ? stage : nil }
        var best: (key: Key, seats: [Int])?
        var largest = 0
        for run in runs(request, in: layout, unavailable: unavailable) {
            let row = layout.sections[run.section].rows[run.row].seats
            let accessibleAt = (run.start..<run.start + run.count).filter { row[$0].isAccessible }
            if request.accessible {
                // The largest block that holds an accessible seat is the whole run, if any.
                if !accessibleAt.isEmpty { largest = max(largest, run.count) }
            } else {
                largest = max(largest, run.count)
            }
            guard run.count >= request.quantity else { continue }
            for start in run.start...(run.start + run.count - request.quantity) {
                let block = start..<start + request.quantity
                if request.accessible && !accessibleAt.contains(where: block.contains) { continue }
                let key = Key(
                    strands: strands(block, in: row, unavailable: unavailable),
                    distance: distance(block, run: run, in: layout, stage: stage),
                    lowest: block.map { row[$0].n }.min() ?? 0)
                if best == nil || key < best!.key { best = (key, block.map { row[$0].n }) }
            }
        }
        if let best { return .seats(best.seats) }
        return .none(largestBlock: largest)
    }

    /// The largest block free now that matches the request's filters (`accessible`
    /// included), whatever its quantity.
    public static func largestBlock(_ request: Request, in layout: Layout, unavailable: Set<Int>) -> Int {
        var whole = request
        whole.quantity = .max
        guard case .none(let largest) = choose(whole, in: layout, unavailable: unavailable) else { return 0 }
        return largest
    }

    /// What makes one block better than another, compared in this order.
    struct Key: Comparable {
        /// Whether the block leaves a single free seat stranded beside it.
        var strands: Bool
        /// Nearness to the stage: the distance of the block's centre, or, without
        /// coordinates, (row from the front, distance from the middle of the row).
        var distance: [Double]
        var lowest: Int

        static func < (a: Key, b: Key) -> Bool {
            if a.strands != b.strands { return !a.strands }
            if a.distance != b.distance { return a.distance.lexicographicallyPrecedes(b.distance) }
            return a.lowest < b.lowest
        }
    }

    static func runs(_ request: Request, in layout: Layout, unavailable: Set<Int>) -> [Run] {
        var runs: [Run] = []
        for (s, section) in layout.sections.enumerated() where request.section == nil || section.key == request.section {
            for (r, row) in section.rows.enumerated() {
                var start: Int?
                for (i, seat) in row.seats.enumerated() {
                    if seat.hasAisleBefore, let open = start {
                        runs.append(Run(section: s, row: r, start: open, count: i - open))
                        start = nil
                    }
                    let offered =
                        !unavailable.contains(seat.n)
                        && (request.category == nil || seat.category == request.category)
                        && (request.accessible || (!seat.isAccessible && !seat.isCompanion))
                    if offered {
                        if start == nil { start = i }
                    } else if let open = start {
                        runs.append(Run(section: s, row: r, start: open, count: i - open))
                        start = nil
                    }
                }
                if let open = start { runs.append(Run(section: s, row: r, start: open, count: row.seats.count - open)) }
            }
        }
        return runs
    }

    /// Whether taking `block` leaves a free seat beside it with no free neighbour on its far
    /// side (a taken or blocked seat, an aisle or the row's end).
    static func strands(_ block: Range<Int>, in row: [Layout.Seat], unavailable: Set<Int>) -> Bool {
        func free(_ i: Int) -> Bool { i >= 0 && i < row.count && !unavailable.contains(row[i].n) && !block.contains(i) }
        /// Whether seats `i` and `j` (next to each other) are adjacent: no aisle between.
        func joined(_ i: Int, _ j: Int) -> Bool { i >= 0 && j < row.count && !row[j].hasAisleBefore }
        let left = block.lowerBound - 1
        if joined(left, block.lowerBound) && free(left) && !(joined(left - 1, left) && free(left - 1)) { return true }
        let right = block.upperBound
        if joined(right - 1, right) && free(right) && !(joined(right, right + 1) && free(right + 1)) { return true }
        return false
    }

    static func distance(_ block: Range<Int>, run: Run, in layout: Layout, stage: Layout.Stage?) -> [Double] {
        let row = layout.sections[run.section].rows[run.row].seats
        if let stage {
            let xs = block.compactMap { row[$0].x }
            let ys = block.compactMap { row[$0].y }
            let x = xs.reduce(0, +) / Double(xs.count) - stage.x
            let y = ys.reduce(0, +) / Double(ys.count) - stage.y
            return [(x * x + y * y).squareRoot()]
        }
        let centre = Double(block.lowerBound + block.upperBound - 1) / 2
        let middle = Double(row.count - 1) / 2
        return [Double(run.row), abs(centre - middle)]
    }
}
