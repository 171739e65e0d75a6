import Foundation
import Logging
import MarqueeServer
import MarqueeTestSupport
import Testing

@Suite struct StartupTests {
    @Test func postgresWithoutASigningKeyRefusesToStartAndSaysWhatToSet() async throws {
        var configuration = AppConfiguration()
        configuration.databaseURL = "postgres://marquee@127.0.0.1:1/none"
        configuration.signingKeys = []
        do {
            _ = try await buildApplication(configuration: configuration, logger: Logger(label: "test"))
            Issue.record("the server started without a signing key")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("MARQUEE_JWT_KEYS"))
        }
    }

    @Test func theEmbeddedServerMakesItsKeyOnceAndKeepsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.sqlite").path
        let first = try SigningKey.embedded(besideDatabaseAt: path)
        let second = try SigningKey.embedded(besideDatabaseAt: path)
        #expect(first == second)
        #expect(first.secret.count >= SigningKey.minimumSecretBytes)
        let mode = try FileManager.default.attributesOfItem(atPath: path + ".jwt-key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
