import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarqueeServer
import MarqueeTestSupport
import NIOCore
import Testing

/// The application `marquee serve` runs, on a new database of either engine (a fresh SQLite
/// file, or a PostgreSQL database cloned from the migrated template), with a known signing
/// key, cheap bcrypt and an admin account.
enum TestApp {
    static let secret = "test-secret-that-is-at-least-32-bytes-long"
    static let adminEmail = "admin@example.com"
    static let adminPassword = "admin-password"

    static func configuration(_ directory: URL) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.databasePath = directory.appendingPathComponent("test.sqlite").path
        configuration.signingKeys = [
            try SigningKey(kid: "current", secret: Array(secret.utf8)),
            try SigningKey(kid: "previous", secret: Array("an-older-secret-still-trusted-for-verify".utf8)),
        ]
        configuration.bcryptCost = 4
        // A small PostgreSQL pool (the suite's databases share one server); a test may set its own.
        configuration.databasePoolSize = 4
        configuration.loginFailuresPerEmail = 3
        configuration.maxSeatsPerBooking = 4
        configuration.admin = AdminAccount(email: adminEmail, password: adminPassword)
        // The suite runs at once on two cores; only the deadline tests meet the deadline.
        configuration.databaseWait = StoreHarness.patience
        configuration.databaseOperationLimit = StoreHarness.patience
        return configuration
    }

    static func run(
        _ engine: Engine = .sqlite, clock: TestClock? = nil, logger: Logger? = nil,
        configure: @Sendable (inout AppConfiguration) -> Void = { _ in }, _ test: @Sendable (API) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configured = try configuration(directory)
        configure(&configured)
        let configuration = configured
        switch engine {
        case .sqlite:
            try await run(configuration, clock: clock, logger: logger, test)
        case .postgres:
            try await TestDatabases.withDatabase(migrated: true) { url in
                var configuration = configuration
                configuration.databaseURL = url
                try await run(configuration, clock: clock, logger: logger, test)
            }
        }
    }

    private static func run(
        _ configuration: AppConfiguration, clock: TestClock?, logger: Logger?, _ test: @Sendable (API) async throws -> Void
    ) async throws {
        var quiet = Logger(label: "marquee-test")
        quiet.logLevel = .error
        let logger = logger ?? quiet
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Date() } }
        let app = try await buildApplication(configuration: configuration, logger: logger, clock: now)
        try await app.test(.router) { client in try await test(API(client: client)) }
    }
}

/// A JSON answer, read into plain values for assertions.
struct Answer: @unchecked Sendable {  // holds only JSONSerialization's immutable values
    var status: Int
    var headers: HTTPFields
    var json: [String: Any]

    subscript(key: String) -> Any? { json[key] }
    var contentType: String? { headers[.contentType] }
    var errorFields: [String] { (json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
}

struct API: Sendable {
    let client: any TestClientProtocol

    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) { response in
            let data = Data(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return Answer(status: Int(response.status.code), headers: response.headers, json: object)
        }
    }

    /// A plain-text answer, such as /metrics.
    func text(_ uri: String) async throws -> (status: Int, body: String) {
        let page = try await page(uri)
        return (page.status, page.body)
    }

    /// Any answer as text with its headers, such as a page of the web app.
    func page(_ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:]) async throws -> (
        status: Int, headers: HTTPFields, body: String
    ) {
        try await client.execute(uri: uri, method: method, headers: headers, body: nil) { response in
            (Int(response.status.code), response.headers, String(buffer: response.body))
        }
    }

    /// Signs up a new customer and returns its token and id.
    func signup(_ name: String = "Ann") async throws -> (token: String, id: String) {
        let email = "\(name.lowercased())-\(UUID().uuidString.prefix(8))@example.com"
        let answer = try await call(
            .post, "/api/auth/signup", json: #"{"name":"\#(name)","email":"\#(email)","password":"password1"}"#)
        #expect(answer.status == 201)
        let user = try #require(answer["user"] as? [String: Any])
        return (try #require(answer["token"] as? String), try #require(user["id"] as? String))
    }

    func adminToken() async throws -> String {
        let answer = try await call(
            .post, "/api/auth/login",
            json: #"{"email":"\#(TestApp.adminEmail)","password":"\#(TestApp.adminPassword)"}"#)
        #expect(answer.status == 200)
        return try #require(answer["token"] as? String)
    }

    func createShow(seats: Int = 20, name: String = "Hamlet") async throws -> String {
        let answer = try await call(
            .post, "/api/shows", token: try await adminToken(),
            json: #"{"name":"\#(name)","startTime":"2031-01-01T20:00:00Z","totalSeats":\#(seats)}"#)
        #expect(answer.status == 201)
        return try #require(answer["id"] as? String)
    }
}

/// A clock the test moves by hand, so holds expire without anyone sleeping.
final class TestClock: @unchecked Sendable {  // every access goes through `lock`
    private let lock = NSLock()
    private var current = Date()

    var now: Date { lock.withLock { current } }

    func advance(seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
