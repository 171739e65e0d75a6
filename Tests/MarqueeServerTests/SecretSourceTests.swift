import Foundation
import MarqueeServer
import MarqueeTestSupport
import Testing

@Suite struct SecretSourceTests {
    func file(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aSecretComesFromItsVariableOrFromTheFileItsFileVariableNames() throws {
        #expect(try SecretSource(environment: ["MARQUEE_JWT_KEYS": "k:v"]).value("MARQUEE_JWT_KEYS") == "k:v")
        let path = try file("k1:from-a-file\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SecretSource(environment: ["MARQUEE_JWT_KEYS_FILE": path]).value("MARQUEE_JWT_KEYS") == "k1:from-a-file")
        #expect(try SecretSource(environment: [:]).value("MARQUEE_JWT_KEYS") == nil)
    }

    @Test func bothAnEmptyFileOrAMissingFileAreRefusedWithTheVariablesName() throws {
        let empty = try file("  \n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let cases: [[String: String]] = [
            ["DATABASE_URL": "postgres://x", "DATABASE_URL_FILE": empty],
            ["DATABASE_URL_FILE": empty],
            ["DATABASE_URL_FILE": "/nonexistent/\(UUID().uuidString)"],
        ]
        for environment in cases {
            do {
                _ = try SecretSource(environment: environment).value("DATABASE_URL")
                Issue.record("accepted \(environment)")
            } catch let error as ConfigurationError {
                #expect(error.description.contains("DATABASE_URL"))
            }
        }
    }
}
