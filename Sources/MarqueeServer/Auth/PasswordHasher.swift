import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool so a hash (a quarter second at cost 12) never blocks an
/// event loop.
struct PasswordHasher: Sendable {
    let cost: Int

    /// A hash that matches no password, verified when an email is unknown so that a login
    /// takes as long whether or not the account exists.
    private let decoy: String

    init(cost: Int) {
        self.cost = cost
        self.decoy = Bcrypt.hash("marquee-decoy-password", cost: UInt8(cost))
    }

    func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String?) async throws -> Bool {
        let target = hash ?? decoy
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }
}
