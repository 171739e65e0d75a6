import Foundation

/// Every refusal rule API.md gives for a seating plan, each problem a ``FieldError`` whose
/// field is the member path (`layout.sections[0].rows[2].seats[5].n`). All of them are
/// reported at once, so an organiser fixes a plan in one go.
public enum LayoutRules {
    public static let maxSeats = 100_000
    public static let textLength = 1...100

    public static func validate(_ layout: Layout, at root: String = "layout") -> [FieldError] {
        var errors: [FieldError] = []
        func fail(_ path: String, _ message: String) { errors.append(FieldError(field: path, message: message)) }
        func text(_ value: String, _ path: String, _ what: String) {
            if value.unicodeScalars.contains("\u{0}") {
                fail(path, TextRules.nulMessage)
            } else if !textLength.contains(value.count) {
                fail(path, "\(what) must be 1 to 100 characters.")
            }
        }

        if layout.version != 1 { fail("\(root).version", "Only version 1 is known.") }
        if let stage = layout.stage {
            if !stage.x.isFinite { fail("\(root).stage.x", "Coordinates must be finite numbers.") }
            if !stage.y.isFinite { fail("\(root).stage.y", "Coordinates must be finite numbers.") }
            if let label = stage.label { text(label, "\(root).stage.label", "A label") }
        }

        var categories = Set<String>()
        for (c, category) in layout.categories.enumerated() {
            let path = "\(root).categories[\(c)]"
            text(category.key, "\(path).key", "A key")
            if !categories.insert(category.key).inserted { fail("\(path).key", "Category key \(category.key) is used twice.") }
            text(category.label, "\(path).label", "A label")
            if !isColor(category.color) { fail("\(path).color", "A colour is #RRGGBB, as #2f6fdf.") }
        }

        let total = layout.totalSeats
        if !(1...maxSeats).contains(total) {
            fail("\(root).sections", "A plan has 1 to \(maxSeats) seats; this one has \(total).")
        }
        let withCoordinates = layout.seats.first.map { $0.x != nil || $0.y != nil }
        var numbers = Set<Int>()
        var points = Set<[Double]>()
        var sectionKeys = Set<String>()
        if layout.sections.isEmpty { fail("\(root).sections", "A plan has at least one section.") }
        for (s, section) in layout.sections.enumerated() {
            let sectionPath = "\(root).sections[\(s)]"
            text(section.key, "\(sectionPath).key", "A key")
            if !sectionKeys.insert(section.key).inserted { fail("\(sectionPath).key", "Section key \(section.key) is used twice.") }
            text(section.label, "\(sectionPath).label", "A label")
            if section.rows.isEmpty { fail("\(sectionPath).rows", "A section has at least one row.") }
            var rowLabels = Set<String>()
            for (r, row) in section.rows.enumerated() {
                let rowPath = "\(sectionPath).rows[\(r)]"
                text(row.label, "\(rowPath).label", "A label")
                if !rowLabels.insert(row.label).inserted { fail("\(rowPath).label", "Row \(row.label) appears twice in this section.") }
                if row.seats.isEmpty { fail("\(rowPath).seats", "A row has at least one seat.") }
                var seatLabels = Set<String>()
                for (i, seat) in row.seats.enumerated() {
                    let path = "\(rowPath).seats[\(i)]"
                    if !(1...max(total, 1)).contains(seat.n) {
                        fail("\(path).n", "Seat numbers run from 1 to the number of seats, \(total).")
                    } else if !numbers.insert(seat.n).inserted {
                        fail("\(path).n", "Seat number \(seat.n) is used twice.")
                    }
                    text(seat.label, "\(path).label", "A label")
                    if !seatLabels.insert(seat.label).inserted { fail("\(path).label", "Seat \(seat.label) appears twice in this row.") }
                    if let category = seat.category, !categories.contains(category) {
                        fail("\(path).category", "Category \(category) is not declared in categories.")
                    }
                    if i == 0 && seat.hasAisleBefore { fail("\(path).aisleBefore", "A row cannot start with an aisle.") }
                    if seat.isCompanion && !hasAccessibleNeighbour(row.seats, i) {
                        fail("\(path).companion", "A companion seat sits next to an accessible seat, with no aisle between.")
                    }
                    switch (seat.x, seat.y) {
                    case (let x?, let y?):
                        if withCoordinates == false {
                            fail("\(path).x", "Either every seat has x and y or none has.")
                        } else if !x.isFinite || !y.isFinite {
                            fail(x.isFinite ? "\(path).y" : "\(path).x", "Coordinates must be finite numbers.")
                        } else if !points.insert([x, y]).inserted {
                            fail("\(path).x", "Another seat is at (\(x), \(y)).")
                        }
                    case (nil, nil):
                        if withCoordinates == true { fail("\(path).x", "Either every seat has x and y or none has.") }
                    case (nil, _):
                        fail("\(path).x", "A seat with y needs x too.")
                    case (_, nil):
                        fail("\(path).y", "A seat with x needs y too.")
                    }
                }
            }
        }
        return errors
    }

    /// `#RRGGBB`, hex digits of either case.
    static func isColor(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 7 && bytes[0] == UInt8(ascii: "#")
            && bytes.dropFirst().allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                    UInt8(ascii: "A")...UInt8(ascii: "F"):
                    true
                default: false
                }
            }
    }

    /// Whether the seat at `index` has an accessible seat beside it, with no aisle between.
    static func hasAccessibleNeighbour(_ seats: [Layout.Seat], _ index: Int) -> Bool {
        let left = index > 0 && !seats[index].hasAisleBefore && seats[index - 1].isAccessible
        let right = index + 1 < seats.count && !seats[index + 1].hasAisleBefore && seats[index + 1].isAccessible
        return left || right
    }
}

/// A new venue: its name (1 to 200 characters, as a show's) and its plan's rules.
public enum VenueRules {
    public static let nameLength = 1...200

    /// The name trimmed, or every broken rule of the name and the plan at once.
    public static func validate(name: String, layout: Layout) throws(MarqueeError) -> String {
        var errors = TextRules.nulErrors(["name": name])
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if errors.isEmpty && !nameLength.contains(trimmed.count) {
            errors.append(FieldError(field: "name", message: "Name must be 1 to 200 characters."))
        }
        errors += LayoutRules.validate(layout)
        guard errors.isEmpty else { throw .validation(errors) }
        return trimmed
    }
}
