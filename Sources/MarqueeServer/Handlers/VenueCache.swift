import Foundation
import MarqueeAPI
import MarqueeCore
import MarqueeStore
import NIOConcurrencyHelpers

/// Venues' answers as JSON text, kept once read: a plan never changes, so an answer never
/// goes stale. Bounded, so that many large plans cannot take all memory.
final class VenueCache: Sendable {
    private let answers = NIOLockedValueBox<[String: String]>([:])
    let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func answer(id: String) -> String? {
        answers.withLockedValue { $0[id] }
    }

    /// The `venue` document for a record read with its plan, kept for the next read.
    func answer(for record: VenueRecord) throws -> String {
        guard let layout = record.layoutJSON else { throw MarqueeError.notFound("venue") }
        // Keys in sorted order, as every other answer has them.
        let answer =
            "{\"createdAt\":\(try Self.json(try RFC3339DateTranscoder().encode(record.createdAt))),"
            + "\"id\":\(try Self.json(record.id)),\"layout\":\(layout),\"name\":\(try Self.json(record.name)),"
            + "\"totalSeats\":\(record.totalSeats)}"
        answers.withLockedValue { answers in
            if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
            answers[record.id] = answer
        }
        return answer
    }

    /// A value (the plan as stored, or a member of an answer) as compact JSON with sorted
    /// keys, members that are not set left out.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
