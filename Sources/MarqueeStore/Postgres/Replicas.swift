import Logging
import MarqueeCore
import NIOConcurrencyHelpers
import PostgresNIO

/// What the replicas report, for the server's metrics (`marquee_db_reads_total{target}`,
/// `marquee_replica_lag_seconds{replica}`).
public struct ReplicaObserver: Sendable {
    /// A routed read (a public GET's) went to the primary (nil) or to the replica named.
    public var read: @Sendable (_ replica: String?) -> Void
    /// How far behind each replica is known to be, in seconds; nil while it cannot be used.
    public var lag: @Sendable (_ replica: String, _ seconds: Double?) -> Void

    public init(
        read: @escaping @Sendable (String?) -> Void, lag: @escaping @Sendable (String, Double?) -> Void
    ) {
        self.read = read
        self.lag = lag
    }
}

/// Streaming replicas that may serve the public GETs, each with its own pool, and what each
/// is known to have replayed.
///
/// A monitor reads the primary's WAL position (`pg_current_wal_insert_lsn()`) and each
/// replica's replay position (`pg_last_wal_replay_lsn()`) every `interval`. A replica that has
/// replayed what the primary had written at instant t is at most `now - t` behind: so its lag
/// is known without trusting either clock, and an idle primary does not make a replica look
/// stale. A replica is used for a read only while its lag is under `maxLag` and it has
/// replayed as far as the read needs (``ReadRoute/atLeast``); one that fails a query or
/// cannot be reached is not used until the monitor hears from it again.
final class ReplicaSet: Sendable {
    struct Replica: Sendable {
        let name: String
        let pool: PostgresClient
        let counters: PoolCounters
    }

    private struct Known: Sendable {
        var replayed: WALPosition?
        /// The newest instant whose primary position the replica has replayed.
        var caughtUpTo: ContinuousClock.Instant?
        var healthy = false
    }

    let replicas: [Replica]
    /// How long a read waits on a replica before it is read from the primary instead.
    static let patience: Duration = .milliseconds(300)
    let maxLag: Duration
    let interval: Duration
    let observer: ReplicaObserver?
    private let known: NIOLockedValueBox<[Known]>
    /// The primary's positions over the last few seconds, oldest first.
    private let samples = NIOLockedValueBox<[(at: ContinuousClock.Instant, position: WALPosition)]>([])
    private let turn = NIOLockedValueBox(0)

    init(
        replicas: [(name: String, configuration: PostgresClient.Configuration)], maxLag: Duration,
        interval: Duration = .milliseconds(100), observer: ReplicaObserver?, logger: Logger
    ) {
        self.replicas = replicas.map { replica in
            let counters = PoolCounters(limit: replica.configuration.options.maximumConnections)
            return Replica(
                name: replica.name,
                pool: PostgresClient(configuration: replica.configuration, backgroundLogger: counters.tapping(logger)),
                counters: counters)
        }
        self.maxLag = maxLag
        self.interval = interval
        self.observer = observer
        self.known = NIOLockedValueBox(Array(repeating: Known(), count: replicas.count))
    }

    /// Where a read on `route` goes now: a replica that is healthy, within the lag and far
    /// enough along (one of them in turn, when several are), else the primary.
    func choose(for route: ReadRoute, now: ContinuousClock.Instant = .now) -> ReadRoute.Target {
        let usable = known.withLockedValue { known in
            known.indices.filter { index in
                let replica = known[index]
                guard replica.healthy, let caughtUpTo = replica.caughtUpTo, now - caughtUpTo <= maxLag,
                    let replayed = replica.replayed
                else { return false }
                return route.atLeast.map { replayed >= $0 } ?? true
            }
        }
        guard !usable.isEmpty else { return .primary }
        let next = turn.withLockedValue { turn in
            defer { turn &+= 1 }
            return turn
        }
        return .replica(usable[next % usable.count])
    }

    /// What `replica` is known to have replayed: a lower bound of what a read on it sees.
    func replayed(_ replica: Int) -> WALPosition? { known.withLockedValue { $0[replica].replayed } }

    /// The primary's newest sampled position: everything committed before it, at least, is
    /// in what a read on the primary sees now.
    var primarySampled: WALPosition? { samples.withLockedValue { $0.last?.position } }

    /// The replica failed a query: it is not used until the monitor hears from it again.
    func failed(_ replica: Int) {
        known.withLockedValue { $0[replica].healthy = false }
        observer?.lag(replicas[replica].name, nil)
    }

    /// Runs the replicas' pools and the monitor until cancelled.
    func run(primary: CountedClient, logger: Logger) async {
        await withDiscardingTaskGroup { group in
            for replica in replicas { group.addTask { await replica.pool.run() } }
            group.addTask { await self.monitor(primary: primary, logger: logger) }
        }
    }

    private func monitor(primary: CountedClient, logger: Logger) async {
        var reported: [Bool] = Array(repeating: true, count: replicas.count)
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if let position = try? await Self.position(
                "SELECT pg_current_wal_insert_lsn()::text",
                on: { query in try await primary.query(query, logger: logger) })
            {
                sample(position, at: now)
            }
            await withTaskGroup(of: Void.self) { group in
                for index in replicas.indices {
                    group.addTask { await self.check(index, logger: logger) }
                }
            }
            for index in replicas.indices {
                let healthy = known.withLockedValue { $0[index].healthy }
                if healthy != reported[index] {
                    reported[index] = healthy
                    if healthy {
                        logger.notice("A replica is serving reads again", metadata: ["replica": "\(replicas[index].name)"])
                    } else {
                        logger.warning("A replica is not used: it cannot be reached or is not a standby",
                                       metadata: ["replica": "\(replicas[index].name)"])
                    }
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Reads one replica's replay position, within a second.
    private func check(_ index: Int, logger: Logger) async {
        let replica = replicas[index]
        let read: WALPosition?
        do {
            read = try await DatabaseDeadline.bound(by: .now + .seconds(1)) {
                try await Self.position(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END",
                    on: { query in try await replica.pool.query(query, logger: logger) })
            }
        } catch {
            read = nil
        }
        record(index, replayed: read, now: .now)
    }

    /// The primary was at `position` at `instant`.
    func sample(_ position: WALPosition, at instant: ContinuousClock.Instant) {
        samples.withLockedValue { samples in
            samples.append((instant, position))
            samples.removeAll { instant - $0.at > .seconds(10) }
        }
    }

    /// What a replica answered (nil: it failed, or is not a standby): it has everything the
    /// primary had at the newest sample at or before its replay position.
    func record(_ index: Int, replayed: WALPosition?, now: ContinuousClock.Instant) {
        let caughtUpTo = replayed.flatMap { replayed in
            samples.withLockedValue { samples in samples.last { $0.position <= replayed }?.at }
        }
        known.withLockedValue { known in
            known[index] = Known(replayed: replayed, caughtUpTo: caughtUpTo, healthy: replayed != nil)
        }
        observer?.lag(replicas[index].name, caughtUpTo.map { Self.seconds(now - $0) })
    }

    private static func position(
        _ sql: PostgresQuery, on run: (PostgresQuery) async throws -> PostgresRowSequence
    ) async throws -> WALPosition? {
        for try await text in try await run(sql).decode(String?.self) {
            return text.flatMap { WALPosition($0) }
        }
        return nil
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
