import MarqueeCore
import Testing

/// Every refusal rule of a seating plan, each named by its member path.
@Suite struct LayoutRulesTests {
    static func seat(_ n: Int, _ label: String? = nil) -> Layout.Seat { Layout.Seat(n: n, label: label ?? "\(n)") }

    static var good: Layout {
        Layout(
            stage: .init(x: 1, y: -2, label: "Stage"),
            categories: [.init(key: "stalls", label: "Stalls", color: "#2f6fdf")],
            sections: [
                Layout.Section(
                    key: "stalls", label: "Stalls",
                    rows: [
                        Layout.Row(
                            label: "A",
                            seats: [
                                Layout.Seat(n: 1, label: "1", category: "stalls", accessible: true),
                                Layout.Seat(n: 2, label: "2", category: "stalls", companion: true),
                                Layout.Seat(n: 3, label: "3", aisleBefore: true),
                            ]),
                        Layout.Row(label: "B", seats: [seat(4), seat(5)]),
                    ])
            ])
    }

    @Test func aGoodPlanPassesAndLabelsItsSeats() {
        #expect(LayoutRules.validate(Self.good).isEmpty)
        let index = SeatIndex(Self.good)
        #expect(index.label(of: 3) == "Stalls, Row A, Seat 3")
        #expect(index.label(of: 5) == "Stalls, Row B, Seat 5")
        #expect(index.label(of: 99) == "Seat 99")
        #expect(Self.good.totalSeats == 5)
    }

    struct Breakage: Sendable, CustomTestStringConvertible {
        let field: String
        let apply: @Sendable (inout Layout) -> Void
        init(_ field: String, _ apply: @escaping @Sendable (inout Layout) -> Void) {
            self.field = field
            self.apply = apply
        }
        var testDescription: String { field }
    }

    static let breakages: [Breakage] = [
        Breakage("layout.version") { l in l.version = 2 },
        Breakage("layout.sections[0].rows[1].seats[1].n") { l in l.sections[0].rows[1].seats[1].n = 4 },
        Breakage("layout.sections[0].rows[1].seats[1].n") { l in l.sections[0].rows[1].seats[1].n = 6 },
        Breakage("layout.categories[1].key") { l in l.categories.append(.init(key: "stalls", label: "B", color: "#000000")) },
        Breakage("layout.categories[0].color") { l in l.categories[0].color = "#12345" },
        Breakage("layout.categories[0].color") { l in l.categories[0].color = "#12345g" },
        Breakage("layout.sections[0].rows[0].seats[2].category") { l in l.sections[0].rows[0].seats[2].category = "balcony" },
        Breakage("layout.sections[0].rows[1].label") { l in l.sections[0].rows[1].label = "A" },
        Breakage("layout.sections[0].rows[1].seats[1].label") { l in l.sections[0].rows[1].seats[1].label = "4" },
        Breakage("layout.sections[0].label") { l in l.sections[0].label = "" },
        Breakage("layout.sections[0].rows[0].label") { l in l.sections[0].rows[0].label = String(repeating: "x", count: 101) },
        Breakage("layout.sections[0].rows[1].seats[0].aisleBefore") { l in l.sections[0].rows[1].seats[0].aisleBefore = true },
        Breakage("layout.sections[0].rows[1].seats[1].companion") { l in l.sections[0].rows[1].seats[1].companion = true },
        Breakage("layout.sections[0].rows[0].seats[2].companion") { l in l.sections[0].rows[0].seats[2].companion = true },
        Breakage("layout.sections[0].rows[0].seats[0].x") { l in l.sections[0].rows[0].seats[0].y = 3 },
        Breakage("layout.stage.x") { l in l.stage?.x = .infinity },
        Breakage("layout.sections[0].rows[0].label") { l in l.sections[0].rows[0].label = "A\u{0}" },
    ]

    @Test(arguments: breakages)
    func eachBrokenRuleIsNamedByItsPath(_ breakage: Breakage) {
        var layout = Self.good
        breakage.apply(&layout)
        #expect(LayoutRules.validate(layout).map(\.field).contains(breakage.field), "\(LayoutRules.validate(layout))")
    }

    @Test func coordinatesAreAllOrNoneFiniteAndDistinct() {
        var layout = Self.good
        for (r, row) in layout.sections[0].rows.enumerated() {
            for i in row.seats.indices {
                layout.sections[0].rows[r].seats[i].x = Double(i)
                layout.sections[0].rows[r].seats[i].y = Double(r)
            }
        }
        #expect(LayoutRules.validate(layout).isEmpty)
        var shared = layout
        shared.sections[0].rows[1].seats[0].y = 0
        #expect(LayoutRules.validate(shared).map(\.field) == ["layout.sections[0].rows[1].seats[0].x"])
        var partly = layout
        partly.sections[0].rows[1].seats[1].x = nil
        partly.sections[0].rows[1].seats[1].y = nil
        #expect(LayoutRules.validate(partly).map(\.field) == ["layout.sections[0].rows[1].seats[1].x"])
    }

    @Test func emptyPlansSectionsAndRowsAreRefusedAndEveryProblemIsListed() {
        #expect(LayoutRules.validate(Layout(sections: [])).map(\.field).contains("layout.sections"))
        let empty = Layout(sections: [
            Layout.Section(key: "a", label: "A", rows: []),
            Layout.Section(key: "b", label: "B", rows: [Layout.Row(label: "1", seats: [])]),
        ])
        let fields = LayoutRules.validate(empty).map(\.field)
        #expect(fields.contains("layout.sections[0].rows"))
        #expect(fields.contains("layout.sections[1].rows[0].seats"))
        var many = Self.good
        many.version = 3
        many.categories[0].color = "blue"
        #expect(LayoutRules.validate(many).count == 2)
    }
}
