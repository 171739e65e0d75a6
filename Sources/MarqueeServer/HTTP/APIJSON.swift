import Foundation
import MarqueeAPI

/// JSON as the API writes it outside the generated handlers (stored booking answers, live
/// queue events): compact, keys sorted, RFC 3339 times in whole seconds, like the routes.
enum APIJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let transcoder = RFC3339DateTranscoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try transcoder.encode(date))
        }
        return try encoder.encode(value)
    }
}
