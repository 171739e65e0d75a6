import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import MarqueeCore
import MarqueeStore
import NIOCore
import ServiceLifecycle

/// Delivers queued webhook deliveries: claims the due ones (any instance may; a claim is a
/// lease), POSTs each event's payload signed with the webhook's secret, and records the
/// outcome: delivered on a 2xx, otherwise retried with exponential backoff until the policy
/// gives up. At least once: a delivery whose outcome was never recorded (a crash mid-send)
/// is sent again when its lease runs out.
struct WebhookDispatcher: Service {
    let store: any BookingStore
    let policy: RetryPolicy
    let logger: Logger
    let started: StartupGate
    let pollInterval: Duration
    let requestTimeout: Duration
    let clock: @Sendable () -> Date
    private let wakeups: OutboxWakeups

    /// How long a claimed delivery is held before another attempt may take it.
    var lease: Duration { requestTimeout * 3 }
    static let batchSize = 20

    init(
        store: any BookingStore, policy: RetryPolicy, changes: OutboxSignal, logger: Logger, started: StartupGate,
        pollInterval: Duration = .seconds(1), requestTimeout: Duration = .seconds(10),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.policy = policy
        self.logger = logger
        self.started = started
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.clock = clock
        wakeups = changes.subscribe()
    }

    func run() async throws {
        // Redirects are not followed: an endpoint gets the event at the URL its admin gave.
        let client = HTTPClient(
            configuration: .init(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(5), read: .nanoseconds(requestTimeout.nanoseconds))))
        await cancelWhenGracefulShutdown {
            await started.wait()
            // Every change wakes this, but with no webhook registered there is nothing to
            // claim: whether there are any is read again at most once per poll interval, so
            // an instance without webhooks spends no query per booking on them.
            var anyWebhooks = true
            var checked = ContinuousClock.now - pollInterval
            await wakeups.run(every: pollInterval) {
                if checked.duration(to: .now) >= pollInterval {
                    anyWebhooks = (try? await !store.webhooks().isEmpty) ?? true
                    checked = .now
                }
                if anyWebhooks { await deliverDue(with: client) }
            }
        }
        try? await client.shutdown()
    }

    /// Sends everything due, a batch at a time, the batch's requests at once.
    func deliverDue(with client: HTTPClient) async {
        do {
            var batch: [DeliveryAttempt]
            repeat {
                batch = try await store.claimDeliveries(now: clock(), limit: Self.batchSize, lease: lease)
                await withDiscardingTaskGroup { group in
                    for attempt in batch {
                        group.addTask {
                            let outcome = await send(attempt, with: client)
                            do {
                                try await store.recordDelivery(id: attempt.deliveryId, outcome: outcome, now: clock())
                            } catch {
                                logger.warning(
                                    "Recording a webhook delivery failed; it is sent again after its lease",
                                    metadata: ["delivery_id": "\(attempt.deliveryId)", "error": "\(String(reflecting: error))"])
                            }
                        }
                    }
                }
            } while batch.count == Self.batchSize && !Task.isCancelled
        } catch {
            logger.warning("Claiming webhook deliveries failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    func send(_ attempt: DeliveryAttempt, with client: HTTPClient) async -> DeliveryOutcome {
        let timestamp = Int(clock().timeIntervalSince1970)
        var request = HTTPClientRequest(url: attempt.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Marquee-Webhooks/1")
        request.headers.add(name: "Marquee-Event-Id", value: String(attempt.eventId))
        request.headers.add(name: "Marquee-Event-Type", value: attempt.eventType)
        request.headers.add(name: "Marquee-Delivery-Id", value: String(attempt.deliveryId))
        request.headers.add(name: "Marquee-Timestamp", value: String(timestamp))
        request.headers.add(
            name: "Marquee-Signature",
            value: WebhookSignature.header(secret: attempt.secret, timestamp: timestamp, body: attempt.payload))
        request.body = .bytes(ByteBuffer(string: attempt.payload))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(requestTimeout.nanoseconds))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            if (200..<300).contains(code) { return .delivered(statusCode: code) }
            return policy.outcome(afterFailed: attempt.attempt, statusCode: code, error: "HTTP \(code)", now: clock())
        } catch {
            return policy.outcome(
                afterFailed: attempt.attempt, statusCode: nil, error: "\(error)".prefix(300).description, now: clock())
        }
    }
}
