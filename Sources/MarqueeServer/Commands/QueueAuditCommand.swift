import ArgumentParser
import AsyncHTTPClient
import Foundation
import MarqueeStore
import NIOCore

/// `marquee queue-audit --url https://tickets.example --show ID`: checks a queue's draw from
/// outside, with nothing but what the API publishes (API.md, "Queues"): that the revealed
/// seed hashes to the commitment, and that the pre-queue's order is the one the seed gives.
/// Exits 0 when both hold, 1 when not, 2 when the answers could not be read.
struct QueueAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-audit",
        abstract: "Check that a show's queue was drawn as its published commitment says.")

    @Option(help: "The Marquee server, as https://host[:port].") var url: String
    @Option(help: "The show's id.") var show: String

    func run() async throws {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let client = HTTPClient.shared
        let status = try await Self.json(client, "\(base)/api/shows/\(show)/queue")
        let order = try await Self.json(client, "\(base)/api/shows/\(show)/queue/order")
        guard let commitment = status["shuffleCommitment"] as? String, let seed = order["seed"] as? String,
            let entries = order["entries"] as? [String]
        else { throw ValidationError("The answers do not look like a Marquee queue's status and order.") }
        print("commitment  \(commitment)")
        print("seed        \(seed)")
        print("pre-queue   \(entries.count) entries")
        let failures = QueueShuffle.audit(commitment: commitment, seed: seed, entries: entries)
        guard failures.isEmpty else {
            for failure in failures { print("FAILED      \(failure)") }
            throw ExitCode(1)
        }
        print("OK          SHA-256(seed) is the commitment, and the order is SHA-256(seed:id) ascending.")
    }

    /// A JSON object from `url`; a problem answer stops the audit with its detail.
    static func json(_ client: HTTPClient, _ url: String) async throws -> [String: Any] {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
            body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            print("GET \(url): \(error)")
            throw ExitCode(2)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        guard response.status == .ok else {
            print("GET \(url): \(response.status.code) \(object["detail"] as? String ?? "")")
            throw ExitCode(2)
        }
        return object
    }
}
