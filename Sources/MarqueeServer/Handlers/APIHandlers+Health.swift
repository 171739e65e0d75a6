import MarqueeAPI
import MarqueeCore
import MarqueeStore

extension APIHandlers {
    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        if let statistics = store.poolStatistics { metrics.pool(statistics) }
        return .ok(.init(body: .plainText(.init(registry.emitToString()))))
    }

    func live(_ input: Operations.Live.Input) async throws -> Operations.Live.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    /// Ready when the database answers within a second; 503 `database-unavailable` otherwise,
    /// whatever the failure was.
    func ready(_ input: Operations.Ready.Input) async throws -> Operations.Ready.Output {
        do {
            try await DatabaseDeadline.$current.withValue(.now + .seconds(1)) { try await store.ping() }
        } catch {
            throw MarqueeError.databaseUnavailable
        }
        return .ok(.init(body: .json(.init(status: "ok"))))
    }
}
