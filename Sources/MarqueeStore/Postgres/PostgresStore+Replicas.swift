import Logging
import MarqueeCore
import PostgresNIO

/// Read replicas (API.md, "Read replicas (v2, PostgreSQL)"): which client a public read uses,
/// and the primary's WAL position after a write, for `Marquee-Consistency`.
public struct ReplicaSettings: Sendable {
    public var replicas: [(name: String, configuration: PostgresClient.Configuration)]
    /// The most a read without a consistency token may be behind the primary.
    public var maxLag: Duration
    public var observer: ReplicaObserver?

    public init(
        replicas: [(name: String, configuration: PostgresClient.Configuration)], maxLag: Duration,
        observer: ReplicaObserver? = nil
    ) {
        self.replicas = replicas
        self.maxLag = maxLag
        self.observer = observer
    }
}

extension PostgresStore {
    /// Runs `body` on the client the current request's ``ReadRoute`` picks: a replica within
    /// the lag that has replayed what the request needs, else the primary. A replica that
    /// fails is left out until the monitor hears from it, and the read runs again on the
    /// primary, so a replica going down fails no request. Without a route (every write, and
    /// every read a write is decided on) this is the primary.
    func routed<T: Sendable>(_ body: (CountedClient) async throws -> T) async throws -> T {
        guard let replicas, let route = ReadRoute.current else { return try await body(client) }
        switch route.target({ () -> (ReadRoute.Target, WALPosition?) in
            switch replicas.choose(for: route) {
            case .primary: return (.primary, replicas.primarySampled)
            case .replica(let index): return (.replica(index), replicas.replayed(index))
            }
        }) {
        case .primary:
            replicas.observer?.read(nil)
            return try await body(client)
        case .replica(let index):
            let replica = replicas.replicas[index]
            // A replica gets a short part of the request's budget, so one that went away
            // (its connections being refused or hanging) leaves the rest for the primary.
            let patience = ContinuousClock.now + ReplicaSet.patience
            let deadline = DatabaseDeadline.current.map { min($0, patience) } ?? patience
            do {
                let result = try await DatabaseDeadline.$current.withValue(deadline) {
                    try await body(
                        CountedClient(pool: replica.pool, counters: replica.counters, limit: operationLimit, naming: naming))
                }
                replicas.observer?.read(replica.name)
                return result
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning(
                    "A read on a replica failed; reading the primary", metadata: ["replica": "\(replica.name)", "error": "\(error)"])
                replicas.failed(index)
                route.fallBack(seen: replicas.primarySampled)
                replicas.observer?.read(nil)
                return try await body(client)
            }
        }
    }

    /// The primary's WAL position, read after `mark`: every change committed before `mark`
    /// is at or before it. Reads that waited together share one query. Nil without replicas
    /// (every read is the primary's, so there is nothing to wait for).
    public func walPosition(after mark: ContinuousClock.Instant) async throws -> WALPosition? {
        guard let positions else { return nil }
        return try await positions.position(after: mark)
    }
}

/// The primary's position after a commit, asked by every write that replicas are configured
/// for, one query for all who asked before it began (and the next one for those who asked
/// while it ran), so a busy instance asks once per round trip, not once per request.
actor CommitPositions {
    private let fetch: @Sendable () async throws -> WALPosition
    private var running = false
    private var runningSince = ContinuousClock.now
    private var served: [CheckedContinuation<WALPosition, any Error>] = []
    private var next: [CheckedContinuation<WALPosition, any Error>] = []

    init(fetch: @escaping @Sendable () async throws -> WALPosition) { self.fetch = fetch }

    func position(after mark: ContinuousClock.Instant) async throws -> WALPosition {
        try await withCheckedThrowingContinuation { continuation in
            if running && runningSince >= mark {
                served.append(continuation)
            } else if running {
                next.append(continuation)
            } else {
                served.append(continuation)
                start()
            }
        }
    }

    private func start() {
        running = true
        runningSince = .now
        Task {
            let result: Result<WALPosition, any Error>
            do { result = .success(try await fetch()) } catch { result = .failure(error) }
            finished(result)
        }
    }

    private func finished(_ result: Result<WALPosition, any Error>) {
        let waiting = served
        served = next
        next = []
        running = false
        for continuation in waiting { continuation.resume(with: result) }
        if !served.isEmpty { start() }
    }
}
