import Foundation

/// A dedicated OS thread that owns one SQLite connection and runs Swift tasks that prefer it.
///
/// Why: SQLite calls block, so they must not run on the shared concurrency pool, and handing
/// each statement to a thread pool and back (what sqlite-nio does) costs three thread
/// wake-ups per statement. A task that runs a whole transaction with this thread as its
/// task executor (`withTaskExecutorPreference`) executes every statement synchronously,
/// in place, with no hop at all.
final class SQLiteThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var stopped = false
    private var threadID: pthread_t?

    init(name: String) {
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            self.threadID = pthread_self()
            ready.signal()
            self.runLoop()
        }
        thread.name = name
        thread.start()
        ready.wait()
    }

    /// True when the caller is running on this thread.
    var isCurrent: Bool {
        guard let threadID else { return false }
        return pthread_equal(pthread_self(), threadID) != 0
    }

    func enqueue(_ job: consuming ExecutorJob) {
        condition.lock()
        if stopped {
            condition.unlock()
            // The thread has ended (the database was closed while a task still used it). The
            // task runs on the shared pool instead and finds its connection closed: an error
            // it can report, where a job left in this queue would have waited for ever.
            globalConcurrentExecutor.enqueue(job)
            return
        }
        jobs.append(UnownedJob(job))
        condition.signal()
        condition.unlock()
    }

    /// Runs the rest of the queue, then ends the thread. Waits until it has ended.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func runLoop() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
