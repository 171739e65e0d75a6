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

    public static func choose(_ request: Request, in layout: Layout, unavailable: Set<Int>) -> Choice {
        choose(request, in: SeatIndex(layout), unavailable: SeatMask(count: layout.totalSeats, seats: unavailable))
    }

    /// The same choice over a plan read once (``SeatIndex``) and a ``SeatMask`` of the seats
    /// that cannot be had. It reads flat arrays and allocates nothing per seat, and goes
    /// through the rows nearest the stage first, stopping once no row left could hold a
    /// better block: a 20,000-seat hall is searched for every order.
    public static func choose(_ request: Request, in index: SeatIndex, unavailable: SeatMask) -> Choice {
        guard request.quantity >= 1 else { return .none(largestBlock: 0) }
        let plan = index.flat
        let stage = index.isPlaced ? index.layout.stage : nil
        let section = request.section.map { plan.sectionKeys.firstIndex(of: $0) ?? -2 }
        let category = request.category.map { plan.categoryKeys.firstIndex(of: $0) ?? -2 }
        var best: (key: Key, start: Int)?
        var largest = 0
        for r in plan.rowOrder where section == nil || plan.rowSection[r] == section {
            if let best, !best.key.strands, plan.rowBound[r] > best.key.distance.0 { break }
            let first = plan.rowStart[r]
            let end = plan.rowStart[r + 1]
            func free(_ g: Int) -> Bool { !unavailable.contains(plan.n[g]) }
            func offered(_ g: Int) -> Bool {
                free(g) && (category == nil || plan.category[g] == category)
                    && (request.accessible || (!plan.accessible[g] && !plan.companion[g]))
            }
            var g = first
            while g < end {
                // A run: offered seats side by side, from `g` up to an aisle or a seat not offered.
                guard offered(g) else {
                    g += 1
                    continue
                }
                var runEnd = g + 1
                while runEnd < end && !plan.aisleBefore[runEnd] && offered(runEnd) { runEnd += 1 }
                let count = runEnd - g
                if !request.accessible || (g..<runEnd).contains(where: { plan.accessible[$0] }) {
                    largest = max(largest, count)
                }
                if count >= request.quantity {
                    for start in g...(runEnd - request.quantity) {
                        let block = start..<start + request.quantity
                        if request.accessible && !block.contains(where: { plan.accessible[$0] }) { continue }
                        var lowest = Int.max
                        for seat in block { lowest = min(lowest, plan.n[seat]) }
                        let key = Key(
                            strands: strands(block, row: first..<end, plan: plan, free: free),
                            distance: distance(block, row: r, rowSeats: first..<end, plan: plan, stage: stage),
                            lowest: lowest)
                        if best == nil || key < best!.key { best = (key, start) }
                    }
                }
                g = runEnd
            }
        }
        if let best { return .seats((best.start..<best.start + request.quantity).map { plan.n[$0] }) }
        return .none(largestBlock: largest)
    }

    /// The largest block free now that matches the request's filters (`accessible`
    /// included), whatever its quantity.
    public static func largestBlock(_ request: Request, in layout: Layout, unavailable: Set<Int>) -> Int {
        largestBlock(request, in: SeatIndex(layout), unavailable: SeatMask(count: layout.totalSeats, seats: unavailable))
    }

    public static func largestBlock(_ request: Request, in index: SeatIndex, unavailable: SeatMask) -> Int {
        var whole = request
        whole.quantity = .max
        guard case .none(let largest) = choose(whole, in: index, unavailable: unavailable) else { return 0 }
        return largest
    }

    /// What makes one block better than another, compared in this order.
    struct Key: Comparable {
        /// Whether the block leaves a single free seat stranded beside it.
        var strands: Bool
        /// Nearness to the stage: the distance of the block's centre (and 0), or, without
        /// coordinates, (row from the front, distance from the middle of the row).
        var distance: (Double, Double)
        var lowest: Int

        static func == (a: Key, b: Key) -> Bool {
            a.strands == b.strands && a.distance == b.distance && a.lowest == b.lowest
        }

        static func < (a: Key, b: Key) -> Bool {
            if a.strands != b.strands { return !a.strands }
            if a.distance != b.distance { return a.distance < b.distance }
            return a.lowest < b.lowest
        }
    }

    /// Whether taking `block` leaves a free seat beside it with no free neighbour on its far
    /// side (a taken or blocked seat, an aisle or the row's end).
    static func strands(_ block: Range<Int>, row: Range<Int>, plan: FlatSeats, free isFree: (Int) -> Bool) -> Bool {
        func free(_ g: Int) -> Bool { row.contains(g) && isFree(g) && !block.contains(g) }
        /// Whether seats `g` and `h` (next to each other) are adjacent: no aisle between.
        func joined(_ g: Int, _ h: Int) -> Bool { g >= row.lowerBound && h < row.upperBound && !plan.aisleBefore[h] }
        let left = block.lowerBound - 1
        if joined(left, block.lowerBound) && free(left) && !(joined(left - 1, left) && free(left - 1)) { return true }
        let right = block.upperBound
        if joined(right - 1, right) && free(right) && !(joined(right, right + 1) && free(right + 1)) { return true }
        return false
    }

    static func distance(_ block: Range<Int>, row: Int, rowSeats: Range<Int>, plan: FlatSeats, stage: Layout.Stage?)
        -> (Double, Double)
    {
        if let stage {
            var x = 0.0
            var y = 0.0
            for g in block {
                x += plan.x[g]
                y += plan.y[g]
            }
            x = x / Double(block.count) - stage.x
            y = y / Double(block.count) - stage.y
            return ((x * x + y * y).squareRoot(), 0)
        }
        let centre = Double(block.lowerBound + block.upperBound - 1) / 2 - Double(rowSeats.lowerBound)
        let middle = Double(rowSeats.count - 1) / 2
        return (Double(plan.rowInSection[row]), abs(centre - middle))
    }
}
