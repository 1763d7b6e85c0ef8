import Foundation
import KotaeCore

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for tests that run `kotae` or a real server
/// (aiosmtpd) as users do.
/// Foundation's `Process.run` is not used: on Linux it reads `/proc/self/fd` with a
/// 256-byte copy per entry that can run past the end of a page and crash the test process
/// (swift-corelibs-foundation#5472). It did so twice in this suite.
public final class ChildProcess: Sendable {
    public enum TerminationReason: Equatable { case exit, uncaughtSignal }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's
    /// Glibc module does not export: the child inherits none of the test process's sockets.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

    public let processIdentifier: pid_t
    /// nil while running; the raw `waitpid` status once reaped.
    private let status = Locked<Int32?>(nil)

    /// Starts `executable` with `arguments` and exactly `environment`; its standard output
    /// and error are appended to the file `output`, its input is empty. No other descriptor
    /// is inherited.
    public init(executable: String, arguments: [String], environment: [String: String], output: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = Self.closeFrom?(&actions, 3)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // The spawning thread is one of Dispatch's, which block every signal; a child would
        // inherit that mask and never see SIGTERM. It starts with none blocked, all default.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        processIdentifier = pid
    }

    /// Reaps the child if it ended; `wait` blocks until it does.
    private func reap(wait: Bool) -> Int32? {
        status.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            if waitpid(processIdentifier, &raw, wait ? 0 : WNOHANG) == processIdentifier { status = raw }
            return status
        }
    }

    public var isRunning: Bool { reap(wait: false) == nil }

    public func waitUntilExit() { _ = reap(wait: true) }

    /// Waits without holding a thread; past `limit` the child is killed (SIGKILL) and reaped,
    /// so a stuck helper fails its test instead of hanging the suite. True if it ended alone.
    @discardableResult
    public func exited(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning {
            guard ContinuousClock.now < deadline else {
                kill(processIdentifier, SIGKILL)
                waitUntilExit()
                return false
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Ends the child now: SIGTERM, then SIGKILL if it has not gone after `grace`
    /// (`.zero`: SIGKILL at once). Blocks the calling thread for at most `grace`.
    public func end(grace: Duration) {
        guard isRunning else { return }
        if grace > .zero {
            terminate()
            let deadline = ContinuousClock.now + grace
            while isRunning, ContinuousClock.now < deadline { usleep(20_000) }
            guard isRunning else { return }
        }
        terminate(signal: SIGKILL)
        waitUntilExit()
    }

    /// SIGTERM by default, as `kill` or a service manager sends it.
    public func terminate(signal: Int32 = SIGTERM) { kill(processIdentifier, signal) }

    private var signal: Int32 { (reap(wait: false) ?? 0) & 0x7f }

    public var terminationReason: TerminationReason { signal == 0 ? .exit : .uncaughtSignal }

    /// The exit code, or the signal that ended it (as Foundation's `Process` reports it).
    public var terminationStatus: Int32 {
        let raw = reap(wait: false) ?? 0
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }
}
