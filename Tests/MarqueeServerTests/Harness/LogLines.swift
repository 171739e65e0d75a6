import Foundation
import Logging
@testable import MarqueeServer
import NIOConcurrencyHelpers

/// Collects the lines a ``JSONLogHandler`` writes.
final class LogLines: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var all: [String] { lines.withLockedValue { $0 } }
    var objects: [[String: Any]] {
        all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    func logger(level: Logger.Level = .info) -> Logger {
        Logger(label: "marquee") { label in
            var handler = JSONLogHandler(label: label) { line in self.lines.withLockedValue { $0.append(line) } }
            handler.logLevel = level
            return handler
        }
    }
}
