import CoreMetrics
import Foundation
import MarqueeCore
import MarqueeStore
import NIOConcurrencyHelpers
import Prometheus

/// Where metrics go: the registry `/metrics` reads, and the swift-metrics factory that
/// writes into it. `main` bootstraps the global MetricsSystem with the same factory; tests
/// make their own, so nothing global is touched by ``buildApplication(configuration:logger:metrics:clock:)``.
public struct MetricsSetup: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Bookings and requests are milliseconds, not seconds: buckets where they land.
        let buckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000].map { .milliseconds($0) }
        factory.defaultDurationHistogramBuckets = buckets
        factory.valueHistogramBuckets["marquee_booking_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128]
        // A wait in a queue is seconds to an hour or more.
        factory.durationHistogramBuckets["marquee_queue_wait_seconds"] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200]
            .map { .seconds($0) }
        self.factory = factory
    }
}

/// Marquee's own metrics. Labels are bounded: methods, route templates, statuses and
/// outcomes, never ids or raw paths.
struct MarqueeMetrics: Sendable {
    let factory: any MetricsFactory
    /// The metrics every request or booking records, made once. Made through the factory on
    /// each request, every one sanitised and hashed its labels under the registry's lock.
    private let requests = RequestMetrics()
    private let bookingDurations: [BookingOutcome: CoreMetrics.Timer]
    private let seatConflicts: CoreMetrics.Counter
    private let bookingBatchSizes: CoreMetrics.Recorder

    /// Makes every metric exist from the start, at zero, so dashboards and alerts find them
    /// before the first conflict, failure or expiry.
    init(factory: any MetricsFactory) {
        self.factory = factory
        var bookingDurations: [BookingOutcome: CoreMetrics.Timer] = [:]
        for outcome in BookingOutcome.allCases {
            bookingDurations[outcome] = Timer(
                label: "marquee_booking_duration_seconds", dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
        self.bookingDurations = bookingDurations
        self.seatConflicts = Counter(label: "marquee_seat_conflicts_total", factory: factory)
        self.bookingBatchSizes = Recorder(label: "marquee_booking_batch_size", factory: factory)
        seatConflicts.increment(by: 0)
        for label in [
            "marquee_holds_expired_total", "marquee_login_failures_total",
            "marquee_bookings_refused_total", "marquee_queue_admitted_total",
        ] {
            Counter(label: label, factory: factory).increment(by: 0)
        }
        Gauge(label: "marquee_queue_waiting", factory: factory).record(0)
        _ = Timer(label: "marquee_queue_wait_seconds", factory: factory)
    }

    /// How a booking request ended, for `marquee_booking_duration_seconds`.
    enum BookingOutcome: String, CaseIterable {
        case confirmed, held, conflict, invalid
    }

    /// The methods named in request metrics; any other is counted as `other`, so that a
    /// client inventing methods cannot make series without end.
    static let namedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func request(method: String, route: String, status: Int, duration: Duration) {
        let method = Self.namedMethods.contains(method) ? method : "other"
        let (count, timer) = requests.metrics(method: method, route: route, status: status, factory: factory)
        count.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    func booking(_ outcome: BookingOutcome, duration: Duration) {
        bookingDurations[outcome]?.recordNanoseconds(duration.nanoseconds)
        if outcome == .conflict { seatConflicts.increment() }
    }

    /// How many booking requests went into one transaction.
    func bookingBatch(size: Int) {
        bookingBatchSizes.record(size)
    }

    /// A booking request refused by admission (503), before any work.
    func bookingRefused() {
        Counter(label: "marquee_bookings_refused_total", factory: factory).increment()
    }

    func holdsExpired(_ count: Int) {
        Counter(label: "marquee_holds_expired_total", factory: factory).increment(by: count)
    }

    /// A public read, served by the primary or by a replica.
    func databaseRead(onReplica: Bool) {
        Counter(label: "marquee_db_reads_total", dimensions: [("target", onReplica ? "replica" : "primary")], factory: factory)
            .increment()
    }

    /// How far behind the primary a replica is known to be; +Inf while it cannot be used
    /// (unreachable, not a standby, or more than 10 s behind).
    func replicaLag(_ replica: String, seconds: Double?) {
        Gauge(label: "marquee_replica_lag_seconds", dimensions: [("replica", replica)], factory: factory)
            .record(seconds ?? .infinity)
    }

    /// The pool gauge, set from the store's statistics when /metrics is read.
    func pool(_ statistics: PoolStatistics) {
        for (state, value) in [
            ("in_use", statistics.inUse), ("idle", statistics.idle), ("waiting", statistics.waiting),
            ("max", statistics.limit),
        ] {
            Gauge(label: "marquee_db_pool_connections", dimensions: [("state", state)], factory: factory)
                .record(value)
        }
    }

    /// People waiting in every open queue (not scheduled, paused or closed), as this instance
    /// last read them: with admissions at zero, an open queue that stopped moving.
    func queueWaiting(_ count: Int) {
        Gauge(label: "marquee_queue_waiting", factory: factory).record(count)
    }

    /// Entries this instance's keeper admitted, with how long each had waited. Only the
    /// keeper counts an admission, so the sum over instances is the number admitted.
    func queueAdmitted(waits: [TimeInterval]) {
        Counter(label: "marquee_queue_admitted_total", factory: factory).increment(by: waits.count)
        let timer = Timer(label: "marquee_queue_wait_seconds", factory: factory)
        for wait in waits { timer.recordNanoseconds(Int64(max(0, wait) * 1_000_000_000)) }
    }

    func loginFailed() {
        Counter(label: "marquee_login_failures_total", factory: factory).increment()
    }

    /// The outcome a finished booking request is counted under.
    static func outcome(of result: Result<Booking, any Error>) -> BookingOutcome? {
        switch result {
        case .success(let booking): return booking.status == .pending ? .held : .confirmed
        case .failure(MarqueeError.seatsTaken), .failure(MarqueeError.noAdjacentSeats): return .conflict
        case .failure(let error as MarqueeError):
            switch error {
            case .validation, .notFound, .tooManyHolds: return .invalid
            default: return nil
            }
        case .failure: return nil
        }
    }
}

/// `http_requests_total` and `http_request_duration_seconds` for each method, route template
/// and status seen so far: a few dozen, since all three are bounded.
private final class RequestMetrics: Sendable {
    private struct Labels: Hashable {
        let method: String, route: String, status: Int
    }

    private let made = NIOLockedValueBox<[Labels: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    func metrics(method: String, route: String, status: Int, factory: any MetricsFactory) -> (CoreMetrics.Counter, CoreMetrics.Timer) {
        let labels = Labels(method: method, route: route, status: status)
        if let known = made.withLockedValue({ $0[labels] }) { return known }
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        let metrics = (
            Counter(label: "http_requests_total", dimensions: dimensions, factory: factory),
            Timer(label: "http_request_duration_seconds", dimensions: dimensions, factory: factory)
        )
        made.withLockedValue { $0[labels] = metrics }
        return metrics
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
