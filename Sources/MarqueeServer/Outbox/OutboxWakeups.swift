/// One reader's wake-ups: from the ``OutboxSignal``, from ``OutboxReader/wake()``, and from a timer.
struct OutboxWakeups: Sendable {
    let stream: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func wake() { continuation.yield() }

    /// Runs `work` after each wake-up, and at least every `interval` if one is given (the
    /// floor under a lost wake-up), until the task is cancelled. Wake-ups during a run
    /// coalesce into one more run.
    func run(every interval: Duration?, _ work: () async -> Void) async {
        await withDiscardingTaskGroup { group in
            if let interval {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield()
                    }
                }
            }
            for await _ in stream { await work() }
            group.cancelAll()
        }
    }
}
