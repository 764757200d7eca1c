import Foundation

/// Starts programs for the tests with posix_spawn.
public enum ChildProcess {
  /// Starts `arguments[0]` with the given file actions and returns its
  /// process id, or the errno of posix_spawn.
  ///
  /// Test threads block signals, and a child inherits the mask: a tmux
  /// server started with SIGTERM blocked ignores its own kill-server, and
  /// the myoscope in its panes never gets SIGHUP. The child starts with an
  /// empty mask and default dispositions instead.
  public static func spawn(
    _ arguments: [String], actions: inout posix_spawn_file_actions_t,
    searchPath: Bool
  ) -> Result<pid_t, POSIXError> {
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptySet = sigset_t()
    sigemptyset(&emptySet)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    sigdelset(&allSignals, SIGKILL)
    sigdelset(&allSignals, SIGSTOP)
    posix_spawnattr_setsigmask(&attributes, &emptySet)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let code =
      searchPath
      ? posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
      : posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard code == 0 else {
      return .failure(POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL))
    }
    return .success(pid)
  }
}
