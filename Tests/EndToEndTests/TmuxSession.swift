import Foundation
import Synchronization

/// A tmux server of its own, with one session, for driving the real
/// binary in a real terminal.
final class TmuxSession {
  let socket: String
  let width: Int
  let height: Int

  /// Starts a detached session running a shell whose prompt is
  /// `TmuxSession.prompt`, in `directory`, with extra environment.
  init(
    width: Int = 120, height: Int = 40, directory: String,
    environment: [String: String] = [:]
  ) throws {
    socket = "myoscope-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    self.width = width
    self.height = height
    var arguments = [
      "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-c",
      directory,
    ]
    // A UTF-8 locale, as users have; without one the viewer draws ASCII.
    var environment = environment
    if environment["LC_ALL"] == nil { environment["LC_ALL"] = "C.UTF-8" }
    for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
      arguments += ["-e", "\(name)=\(value)"]
    }
    // The server inherits this process's environment; variables that
    // change the viewer's colours are dropped unless the test sets them,
    // so that a NO_COLOR set around the test run does not leak in.
    arguments += ["env"]
    for name in TmuxSession.inheritedVariablesToDrop
    where environment[name] == nil {
      arguments += ["-u", name]
    }
    arguments += ["PS1=\(TmuxSession.prompt)", "sh", "-i"]
    // The server that new-session starts inherits the client's output,
    // so reading a pipe from it would wait for the server to exit.
    TmuxSession.register(socket)
    try tmux(arguments, capture: false)
    // Wait for the shell's first prompt.
    // capture-pane drops trailing spaces, so match the prompt without its
    // final space.
    _ = try waitFor { $0.contains(TmuxSession.promptText) }
  }

  static let prompt = "myoscope-test$ "
  static let inheritedVariablesToDrop = [
    "NO_COLOR", "COLORTERM", "XDG_CONFIG_HOME",
  ]
  /// The prompt as capture-pane shows it, without the trailing space.
  static let promptText = "myoscope-test$"

  deinit {
    _ = try? tmux(["kill-server"], capture: false)
    TmuxSession.live.withLock { _ = $0.remove(socket) }
  }

  /// Sockets of servers not yet killed. A test that fails can leave its
  /// session object alive until the process ends, so an exit handler
  /// kills whatever is left and no server outlives the test run.
  private static let live = Mutex<Set<String>>([])

  private static func register(_ socket: String) {
    _ = exitHandler
    live.withLock { _ = $0.insert(socket) }
  }

  /// Installed once, on first use; static properties initialize atomically.
  private static let exitHandler: Void = {
    atexit {
      for socket in TmuxSession.live.withLock({ $0 }) {
        _ = try? Subprocess.run(
          ["tmux", "-L", socket, "-f", "/dev/null", "kill-server"],
          capture: false)
      }
    }
  }()

  /// Runs a tmux command on this session's server and returns its output,
  /// or "" when `capture` is false.
  @discardableResult
  func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
    try Subprocess.run(
      ["tmux", "-L", socket, "-f", "/dev/null"] + arguments, capture: capture)
  }

  /// Types text followed by Enter.
  func run(_ command: String) throws {
    try tmux(["send-keys", "-t", "0", "-l", command])
    try tmux(["send-keys", "-t", "0", "Enter"])
  }

  /// Sends tmux key names such as "q", "PageDown" or "C-c".
  func keys(_ names: String...) throws {
    try tmux(["send-keys", "-t", "0"] + names)
  }

  /// The screen as plain text.
  func screen() throws -> String {
    try tmux(["capture-pane", "-t", "0", "-p"])
  }

  /// The screen with its colour escape sequences.
  func screenWithColours() throws -> String {
    try tmux(["capture-pane", "-t", "0", "-e", "-p"])
  }

  /// Returns the pane's terminal modes as tmux tracks them, such as
  /// "alternate=0 keypad=0 cursor-keys=0 mouse=0 cursor=1": the alternate
  /// screen, keypad transmit mode (DECKPAM), application cursor keys
  /// (DECCKM), any mouse reporting and the cursor's visibility.
  func terminalModes() throws -> String {
    try tmux([
      "display-message", "-t", "0", "-p",
      "alternate=#{alternate_on} keypad=#{keypad_flag}"
        + " cursor-keys=#{keypad_cursor_flag} mouse=#{mouse_any_flag}"
        + " cursor=#{cursor_flag}",
    ]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The modes of a terminal that no program has changed.
  static let normalModes =
    "alternate=0 keypad=0 cursor-keys=0 mouse=0 cursor=1"

  /// The process id of the program running in the pane.
  func foregroundPID(named name: String) throws -> Int32? {
    let panePID = try tmux(["display-message", "-t", "0", "-p", "#{pane_pid}"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let output = try Subprocess.run(["pgrep", "-P", panePID, name])
    return Int32(output.split(separator: "\n").first ?? "")
  }

  /// Polls the screen until `condition` holds, for up to `seconds`, and
  /// returns the last screen. Throws when it never holds.
  @discardableResult
  func waitFor(
    seconds: Double = 20, colours: Bool = false,
    _ condition: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    while Date() < deadline {
      last = colours ? try screenWithColours() : try screen()
      if condition(last) { return last }
      usleep(100_000)
    }
    throw TmuxTimeout(screen: last)
  }
}

/// The screen never reached the expected state; carries the last screen.
struct TmuxTimeout: Error, CustomStringConvertible {
  let screen: String
  var description: String { "timed out; last screen:\n\(screen)" }
}

/// Paths of the package and of the binary under test.
enum TestPaths {
  static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The release binary that scripts/test builds, or the one named by
  /// MYOSCOPE_BINARY.
  static var binary: String? {
    let path =
      ProcessInfo.processInfo.environment["MYOSCOPE_BINARY"]
      ?? packageRoot + "/.build/release/myoscope"
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  static var tmuxAvailable: Bool {
    ["/usr/bin/tmux", "/usr/local/bin/tmux"].contains {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// The real scans beside the checkout, or in the folder named by
  /// MYOSCOPE_SHARED_DATA (for a checkout that does not sit beside them),
  /// when present.
  static var sharedData: String? {
    let custom = ProcessInfo.processInfo.environment["MYOSCOPE_SHARED_DATA"] ?? ""
    let path =
      custom.isEmpty
      ? (packageRoot as NSString).deletingLastPathComponent + "/shared/data"
      : custom
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }
}
