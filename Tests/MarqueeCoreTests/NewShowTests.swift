import Foundation
import MarqueeCore
import Testing

@Suite struct NewShowTests {
    @Test func nameAndSeatCountAreChecked() {
        #expect(throws: MarqueeError.self) { try NewShow(name: "", startTime: Date(), totalSeats: 10) }
        #expect(throws: MarqueeError.self) { try NewShow(name: "X", startTime: Date(), totalSeats: 0) }
        #expect(throws: MarqueeError.self) { try NewShow(name: "X", startTime: Date(), totalSeats: 100_001) }
        #expect(throws: MarqueeError.self) {
            try NewShow(name: String(repeating: "n", count: 201), startTime: Date(), totalSeats: 1)
        }
        #expect(throws: Never.self) { try NewShow(name: "X", startTime: Date(), totalSeats: 100_000) }
    }
}
