import MarqueeCore
import Testing

/// Best available as API.md orders its preferences: adjacent in one row with no aisle
/// between, accessible seats only on request, no stranded single seat, nearest the stage,
/// lowest number; and the largest free block when nothing fits.
@Suite struct BestAvailableTests {
    /// One section; each row a string: "." a seat, "|" an aisle before the next seat, "A" an
    /// accessible seat, "C" a companion seat. Seats are numbered front row first, left to right.
    static func hall(_ rows: [String], stage: Bool = false) -> Layout {
        var n = 0
        let built = rows.enumerated().map { r, pattern -> Layout.Row in
            var seats: [Layout.Seat] = []
            var aisle = false
            for symbol in pattern {
                if symbol == "|" {
                    aisle = true
                    continue
                }
                n += 1
                seats.append(
                    Layout.Seat(
                        n: n, label: "\(seats.count + 1)", x: stage ? Double(seats.count) : nil,
                        y: stage ? Double(r) : nil, accessible: symbol == "A" ? true : nil,
                        companion: symbol == "C" ? true : nil, aisleBefore: aisle ? true : nil))
                aisle = false
            }
            return Layout.Row(label: String(UnicodeScalar(UInt8(65 + r))), seats: seats)
        }
        return Layout(
            stage: stage ? .init(x: 0, y: -1) : nil,
            sections: [Layout.Section(key: "stalls", label: "Stalls", rows: built)])
    }

    @Test func theFrontRowsMiddleIsBestWhenNothingIsTaken() {
        // Row A: seats 1-9, row B: 10-18.
        let layout = Self.hall([".........", "........."])
        #expect(BestAvailable.choose(.init(quantity: 3), in: layout, unavailable: []) == .seats([4, 5, 6]))
        #expect(BestAvailable.choose(.init(quantity: 2), in: layout, unavailable: []) == .seats([4, 5]), "then the lowest")
    }

    @Test func aBlockNeverCrossesAnAisleOrATakenSeat() {
        let layout = Self.hall(["...|...", "......."])
        // Row B's 7-13: 8-11 and 9-12 would each strand an end seat; 7-10 and 10-13 are as
        // near the middle, and 7-10 has the lower number.
        #expect(BestAvailable.choose(.init(quantity: 4), in: layout, unavailable: []) == .seats([7, 8, 9, 10]))
        #expect(BestAvailable.choose(.init(quantity: 3), in: layout, unavailable: [2]) == .seats([4, 5, 6]))
    }

    @Test func aBlockThatStrandsASingleSeatIsTakenOnlyWhenNoOtherFits() {
        // Row A 1-5 with 1 taken: 3-4 would strand 2 though it is the nearest the middle;
        // 2-3 strands nothing and is nearer than 4-5.
        let layout = Self.hall([".....", "....."])
        #expect(BestAvailable.choose(.init(quantity: 2), in: layout, unavailable: [1]) == .seats([2, 3]))
        // Row A 1-4 with 1 taken: 2-3 strands 4 (row end), 3-4 strands 2; so row B, where 6-7
        // would strand 5, and 5-6 and 7-8 are as near the middle.
        let tight = Self.hall(["....", "...."])
        #expect(BestAvailable.choose(.init(quantity: 2), in: tight, unavailable: [1]) == .seats([5, 6]))
        // With row B taken too, a stranding block is still better than none.
        let full: Set<Int> = [1, 5, 6, 7, 8]
        #expect(BestAvailable.choose(.init(quantity: 2), in: tight, unavailable: full) == .seats([2, 3]))
    }

    @Test func accessibleAndCompanionSeatsAreOfferedOnlyOnRequestAndThenOneIsIncluded() {
        // Row A: 1 2 3(A) 4(C) 5 6; row B: 7-12.
        let layout = Self.hall(["..AC..", "......"])
        let plain = BestAvailable.choose(.init(quantity: 2), in: layout, unavailable: [])
        #expect(plain == .seats([1, 2]) || plain == .seats([5, 6]))
        #expect(BestAvailable.choose(.init(quantity: 3), in: layout, unavailable: []) == .seats([7, 8, 9]), "row B, stranding none")
        let accessible = BestAvailable.choose(.init(quantity: 2, accessible: true), in: layout, unavailable: [])
        #expect(accessible == .seats([3, 4]), "the accessible seat with its companion")
        #expect(
            BestAvailable.choose(.init(quantity: 2, accessible: true), in: layout, unavailable: [3])
                == .none(largestBlock: 0), "no accessible seat is free")
    }

    @Test func withCoordinatesTheBlockNearestTheStageWins() {
        // The stage is at (0, -1): the left end of the front row is nearest.
        let layout = Self.hall(["......", "......"], stage: true)
        #expect(BestAvailable.choose(.init(quantity: 2), in: layout, unavailable: []) == .seats([1, 2]))
        #expect(BestAvailable.choose(.init(quantity: 2), in: layout, unavailable: [1, 2, 3, 4, 5, 6]) == .seats([7, 8]))
    }

    @Test func filtersNarrowTheChoiceAndNothingFittingSaysTheLargestBlock() {
        var layout = Self.hall(["......"])
        layout.categories = [.init(key: "premium", label: "Premium", color: "#aa3300")]
        layout.sections[0].rows[0].seats[4].category = "premium"
        layout.sections[0].rows[0].seats[5].category = "premium"
        layout.sections.append(
            Layout.Section(
                key: "circle", label: "Circle",
                rows: [Layout.Row(label: "A", seats: (7...9).map { Layout.Seat(n: $0, label: "\($0 - 6)") })]))
        #expect(BestAvailable.choose(.init(quantity: 2, category: "premium"), in: layout, unavailable: []) == .seats([5, 6]))
        #expect(BestAvailable.choose(.init(quantity: 2, section: "circle"), in: layout, unavailable: []) == .seats([7, 8]))
        #expect(
            BestAvailable.choose(.init(quantity: 4, section: "circle"), in: layout, unavailable: [])
                == .none(largestBlock: 3))
        #expect(
            BestAvailable.choose(.init(quantity: 3), in: layout, unavailable: [2, 5, 8]) == .none(largestBlock: 2))
        #expect(BestAvailable.choose(.init(quantity: 1, section: "nowhere"), in: layout, unavailable: []) == .none(largestBlock: 0))
    }

    @Test func aLargeHallIsSearchedWhole() {
        // 20,000 seats, 100 rows of 200, all but the last row's last two taken.
        let layout = Self.hall(Array(repeating: String(repeating: ".", count: 200), count: 100))
        let taken = Set(1...19_998)
        #expect(BestAvailable.choose(.init(quantity: 2), in: layout, unavailable: taken) == .seats([19_999, 20_000]))
        #expect(BestAvailable.choose(.init(quantity: 3), in: layout, unavailable: taken) == .none(largestBlock: 2))
    }
}
