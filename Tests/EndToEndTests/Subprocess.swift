import Foundation

/// Runs programs with posix_spawn and waitpid. Foundation's Process can
/// wait forever on Linux when the child exits while no run loop watches
/// it, which left tmux clients as zombies and the tests hanging.
enum Subprocess {
  /// Runs a program found on PATH and returns its standard output and
  /// error, or "" when `capture` is false (output then goes to
  /// /dev/null, which matters for programs that leave a daemon behind).
  @discardableResult
  static func run(_ arguments: [String], capture: Bool = true) throws
    -> String
  {
    var fds: [Int32] = [0, 0]
    // Suites run in parallel. A program spawned by another test while this
    // pipe is open must not inherit its write end: a tmux server started
    // then would hold it open, and the read below would never end. So the
    // pipe is close-on-exec (the dup2 gives the child a copy without the
    // flag), and the lock keeps other spawns out until the flag is set.
    spawnLock.lock()
    guard pipe(&fds) == 0 else {
      spawnLock.unlock()
      throw SubprocessError(arguments: arguments)
    }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if capture {
      posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
      posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])

    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    close(fds[1])
    spawnLock.unlock()
    guard status == 0 else {
      close(fds[0])
      throw SubprocessError(arguments: arguments)
    }
    var output = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(fds[0], &buffer, buffer.count)
      if count <= 0 { break }
      output.append(contentsOf: buffer[0..<count])
    }
    close(fds[0])
    var exitStatus: Int32 = 0
    waitpid(pid, &exitStatus, 0)
    return String(decoding: output, as: UTF8.self)
  }
}

/// Serialises pipe creation and spawning across the test threads.
private let spawnLock = NSLock()

/// A program could not be started.
struct SubprocessError: Error, CustomStringConvertible {
  let arguments: [String]
  var description: String { "cannot start \(arguments.joined(separator: " "))" }
}
