import Foundation
import MarqueeAPI
import Testing

/// The transcoder writes dates by hand (a formatter per date cost more than the rest of a
/// response's JSON); Foundation's ISO 8601 style is the reference it must agree with.
struct DateTranscoderTests {
    let transcoder = RFC3339DateTranscoder()

    func reference(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        return Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    @Test func writesWhatFoundationWritesForAnySecondFrom1900To9999() throws {
        var generator = SystemRandomNumberGenerator()
        // Years 1900 to 9999 (before 1970 Foundation still writes them), with the days around
        // leap years and century ends among them.
        let range = -2_208_988_800.0..<253_402_300_800.0
        let samples = (0..<20_000).map { _ in Double.random(in: range, using: &generator).rounded(.down) } + [
            0, -1, 86_399, 86_400, 951_782_400, 951_868_800, 4_107_542_399, 4_107_542_400, 4_102_444_800,
            13_569_465_600, -2_208_988_800, 253_402_300_799,
        ]
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try transcoder.encode(date) == reference(date), "\(seconds)")
        }
    }

    @Test func dropsFractionsWithoutRoundingAStoredWholeSecondDown() throws {
        // 20:00:00.000000 read back from a store can be a hair below the second.
        let whole = Date(timeIntervalSince1970: 1_925_064_000)
        let below = Date(timeIntervalSince1970: 1_925_064_000 - 0.000_000_1)
        #expect(try transcoder.encode(whole) == "2031-01-01T20:00:00Z")
        #expect(try transcoder.encode(below) == "2031-01-01T20:00:00Z")
        #expect(try transcoder.encode(Date(timeIntervalSince1970: 1_925_064_000.999)) == "2031-01-01T20:00:00Z")
    }

    @Test func readsWhatItWrites() throws {
        for seconds in stride(from: -2_208_988_800.0, to: 4_102_444_800, by: 7_777_777) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try transcoder.decode(try transcoder.encode(date)) == date)
        }
    }
}
