import Foundation
import TestSupport

/// Runs programs with posix_spawn and waitpid. Foundation's Process can
/// wait forever on Linux when the child exits while no run loop watches
/// it, which left tmux clients as zombies and the tests hanging.
enum Subprocess {
  private static let spawnLock = NSLock()

  /// Runs a program found on PATH and returns its standard output and
  /// error, or "" when `capture` is false (output then goes to
  /// /dev/null, which matters for programs that leave a daemon behind).
  @discardableResult
  static func run(_ arguments: [String], capture: Bool = true) throws
    -> String
  {
    var fds: [Int32] = [0, 0]
    // A program that another test thread starts while this pipe's write
    // end is open in this process would inherit it, and a tmux server
    // lives on, so this read would never see the end of the output.
    // Creating the pipe and spawning happen under one lock, and both ends
    // are close-on-exec (the dup2 below clears the flag on the child's own
    // copy).
    spawnLock.lock()
    var locked = true
    defer { if locked { spawnLock.unlock() } }
    guard pipe(&fds) == 0 else { throw SubprocessError(arguments: arguments) }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
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

    let spawned = ChildProcess.spawn(
      arguments, actions: &actions, searchPath: true)
    close(fds[1])
    spawnLock.unlock()
    locked = false
    guard case .success(let pid) = spawned else {
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

/// A program could not be started.
struct SubprocessError: Error, CustomStringConvertible {
  let arguments: [String]
  var description: String { "cannot start \(arguments.joined(separator: " "))" }
}
