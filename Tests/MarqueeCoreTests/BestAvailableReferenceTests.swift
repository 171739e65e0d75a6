import Foundation
import MarqueeCore
import Testing

/// The fast search (flat arrays, rows nearest the stage first, stopping early) must choose
/// exactly what the contract's order chooses. This compares it with a plain reading of that
/// order, which looks at every block of every row, over many random halls and seat maps.
@Suite struct BestAvailableReferenceTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Two sections of ragged rows, some aisles, accessible and companion seats, two
    /// categories, and coordinates (a curved front and a stage) when `placed`.
    static func hall(_ random: inout Generator, placed: Bool) -> Layout {
        var n = 0
        let sections = (0..<2).map { s -> Layout.Section in
            let rows = (0..<Int.random(in: 1...6, using: &random)).map { r -> Layout.Row in
                let count = Int.random(in: 1...12, using: &random)
                let seats = (0..<count).map { i -> Layout.Seat in
                    n += 1
                    return Layout.Seat(
                        n: n, label: "\(i + 1)", x: placed ? Double(i) - Double(count) / 2 : nil,
                        y: placed ? Double(s * 10 + r) + (i % 3 == 0 ? 0.25 : 0) : nil,
                        category: Bool.random(using: &random) ? "a" : "b",
                        accessible: Int.random(in: 0..<8, using: &random) == 0 ? true : nil,
                        companion: Int.random(in: 0..<8, using: &random) == 0 ? true : nil,
                        aisleBefore: i > 0 && Int.random(in: 0..<5, using: &random) == 0 ? true : nil)
                }
                return Layout.Row(label: "R\(r)", seats: seats)
            }
            return Layout.Section(key: "s\(s)", label: "S\(s)", rows: rows)
        }
        return Layout(stage: placed ? .init(x: 0.5, y: -2) : nil, sections: sections)
    }

    /// The contract's order, read plainly: every block of `quantity` seats side by side in one
    /// row, no aisle between, offered (free, in the filters, accessible only on request and
    /// then holding one); the best by (strands nothing, nearest the stage, lowest number).
    static func reference(_ request: BestAvailable.Request, _ layout: Layout, _ unavailable: Set<Int>) -> [Int]? {
        let placed = layout.stage != nil && layout.seats.allSatisfy { $0.x != nil && $0.y != nil }
        var best: (strands: Bool, distance: [Double], lowest: Int, seats: [Int])?
        for section in layout.sections where request.section == nil || section.key == request.section {
            for (r, row) in section.rows.enumerated() {
                let seats = row.seats
                func free(_ i: Int) -> Bool { i >= 0 && i < seats.count && !unavailable.contains(seats[i].n) }
                func offered(_ i: Int) -> Bool {
                    free(i) && (request.category == nil || seats[i].category == request.category)
                        && (request.accessible || (!seats[i].isAccessible && !seats[i].isCompanion))
                }
                func joined(_ i: Int, _ j: Int) -> Bool { i >= 0 && j < seats.count && !seats[j].hasAisleBefore }
                guard seats.count >= request.quantity else { continue }
                for start in 0...(seats.count - request.quantity) {
                    let block = start..<start + request.quantity
                    guard block.allSatisfy(offered), block.dropFirst().allSatisfy({ !seats[$0].hasAisleBefore }) else { continue }
                    if request.accessible && !block.contains(where: { seats[$0].isAccessible }) { continue }
                    let l = start - 1
                    let e = block.upperBound
                    let strands = (joined(l, start) && free(l) && !(joined(l - 1, l) && free(l - 1)))
                        || (joined(e - 1, e) && free(e) && !(joined(e, e + 1) && free(e + 1)))
                    let distance: [Double]
                    if placed, let stage = layout.stage {
                        let x = block.map { seats[$0].x! }.reduce(0, +) / Double(block.count) - stage.x
                        let y = block.map { seats[$0].y! }.reduce(0, +) / Double(block.count) - stage.y
                        distance = [(x * x + y * y).squareRoot()]
                    } else {
                        distance = [Double(r), abs(Double(block.lowerBound + block.upperBound - 1) / 2 - Double(seats.count - 1) / 2)]
                    }
                    let lowest = block.map { seats[$0].n }.min()!
                    let better = best.map { best in
                        strands != best.strands ? !strands
                            : distance != best.distance ? distance.lexicographicallyPrecedes(best.distance)
                            : lowest < best.lowest
                    } ?? true
                    if better { best = (strands, distance, lowest, block.map { seats[$0].n }) }
                }
            }
        }
        return best?.seats
    }

    @Test(arguments: [false, true])
    func theFastSearchChoosesWhatThePlainOrderChooses(placed: Bool) {
        var random = Generator(state: placed ? 7 : 11)
        for _ in 0..<400 {
            let layout = Self.hall(&random, placed: placed)
            let unavailable = Set((1...layout.totalSeats).filter { _ in Int.random(in: 0..<3, using: &random) == 0 })
            let request = BestAvailable.Request(
                quantity: Int.random(in: 1...4, using: &random),
                section: Int.random(in: 0..<3, using: &random) == 0 ? "s1" : nil,
                category: Int.random(in: 0..<3, using: &random) == 0 ? "a" : nil,
                accessible: Int.random(in: 0..<4, using: &random) == 0)
            let expected = Self.reference(request, layout, unavailable)
            let chosen = BestAvailable.choose(request, in: layout, unavailable: unavailable)
            if let expected {
                #expect(chosen == .seats(expected), "\(request) on \(layout.totalSeats) seats")
            } else {
                guard case .none = chosen else {
                    Issue.record("\(request): chose \(chosen), where nothing fits")
                    continue
                }
            }
        }
    }
}
