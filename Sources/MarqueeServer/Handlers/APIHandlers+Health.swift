import MarqueeAPI
import MarqueeCore

extension APIHandlers {
    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        if let statistics = store.poolStatistics { metrics.pool(statistics) }
        return .ok(.init(body: .plainText(.init(registry.emitToString()))))
    }

    func live(_ input: Operations.Live.Input) async throws -> Operations.Live.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    /// Ready when the database answers within two seconds.
    func ready(_ input: Operations.Ready.Input) async throws -> Operations.Ready.Output {
        let store = self.store
        let answered = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await store.ping()) != nil }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard answered else { throw MarqueeError.unavailable("The database does not answer.") }
        return .ok(.init(body: .json(.init(status: "ok"))))
    }
}
