import Logging
import MarqueeStore
import ServiceLifecycle

/// Runs the PostgreSQL side of change announcements: `NOTIFY` after this instance's
/// commits (coalesced), and the `LISTEN` connection that wakes the outbox reader for everyone else's.
struct InstanceNotifier: Service {
    let store: PostgresStore
    let listener: InstanceListener
    let changes: OutboxSignal
    let logger: Logger
    let started: StartupGate

    func run() async throws {
        let localChanges = changes.subscribe()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await listener.run() }
                group.addTask {
                    await started.wait()
                    await localChanges.run(every: nil) {
                        do { try await store.notifyChanges() } catch {
                            logger.warning("NOTIFY failed; other instances catch up within a second",
                                           metadata: ["error": "\(String(reflecting: error))"])
                        }
                    }
                }
            }
        }
    }
}
