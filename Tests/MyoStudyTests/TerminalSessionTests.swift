import Foundation
import Testing

@testable import MyoStudy

/// A private tmux server for one test, on its own socket.
final class TmuxServer {
  let socket = "myoscope-test-\(UUID().uuidString.prefix(8))"

  static var available: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
  }

  @discardableResult
  func run(_ arguments: [String]) throws -> String {
    try runProcess(["/usr/bin/tmux", "-L", socket] + arguments).output
  }

  private var started = false

  /// Starts `command` in a new 120 x 40 window named `name`.
  func start(_ name: String, _ command: String) throws {
    // A server exits with its last session. A session that keeps it open
    // keeps a window that ends (a reader quits or is killed) from taking
    // the server down while the next window is being created.
    if !started {
      try run(["new-session", "-d", "-s", "keep-alive", "exec sleep 86400"])
      started = true
    }
    try run([
      "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
      "exec env TERM=xterm-256color " + command,
    ])
  }

  func send(_ name: String, _ keys: String...) throws {
    try run(["send-keys", "-t", name] + keys)
  }

  func capture(_ name: String) throws -> String {
    try run(["capture-pane", "-p", "-t", name])
  }

  func panePID(_ name: String) throws -> Int32? {
    Int32(try run(["display-message", "-p", "-t", name, "#{pane_pid}"])
      .trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Waits up to 20 s for the screen of `name` to contain `text` and
  /// returns it; throws with the last screen when it never does.
  @discardableResult
  func wait(_ name: String, for text: String) throws -> String {
    var screen = ""
    for _ in 0..<200 {
      screen = try capture(name)
      if screen.contains(text) { return screen }
      usleep(100_000)
    }
    throw ScreenTimeout(window: name, expected: text, screen: screen)
  }

  deinit { _ = try? run(["kill-server"]) }
}

/// A tmux window never showed the expected text.
struct ScreenTimeout: Error, CustomStringConvertible {
  let window: String
  let expected: String
  let screen: String
  var description: String {
    "timed out waiting for '\(expected)' in window \(window); last screen:\n\(screen)"
  }
}

/// Drives `myoscope read` in tmux: blinding of every screen, kill -9 in
/// the middle of a session, and resume.
@Suite(.serialized) struct TerminalSessionTests {
  static func ready() -> String? {
    guard TmuxServer.available else {
      print("skipped: tmux is not installed")
      return nil
    }
    guard let binary = Binary.path else {
      print("skipped: no myoscope binary (build it or set MYOSCOPE_BINARY)")
      return nil
    }
    return binary
  }

  @Test func everyScreenIsBlinded() throws {
    guard let binary = Self.ready() else { return }
    let root = try SyntheticStudy.folder("tmux-blind")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let tmux = TmuxServer()
    try tmux.start("read", "\(binary) read \(layout.studyStore) --reader 'Dr Blind'")
    var screens = [try tmux.wait("read", for: "case 1/6")]
    for number in 1...6 {
      for key in ["y", "3", "Down", "Right", "Enter"] {
        try tmux.send("read", key)
        usleep(150_000)
        screens.append(try tmux.capture("read"))
      }
      let next = number == 6 ? "6/6 read" : "case \(number + 1)/6"
      screens.append(try tmux.wait("read", for: next))
    }
    #expect(screens.last?.contains("6/6 read") == true)
    let forbidden = SyntheticStudy.cases.flatMap { SyntheticStudy.identifyingText($0.name) }
      + ["FSHD", "myositis", "LGMD", "Truth", "probability", "Model", "Originals_StElsewhere",
        root, "trial.images", ".dcm"]
    for (index, screen) in screens.enumerated() {
      for text in forbidden {
        #expect(!screen.contains(text), "screen \(index) shows '\(text)'")
      }
    }
    try tmux.send("read", "q")
  }

  @Test func killNineLosesNothingAndResumes() throws {
    guard let binary = Self.ready() else { return }
    let root = try SyntheticStudy.folder("tmux-kill")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let tmux = TmuxServer()
    try tmux.start("read", "\(binary) read \(layout.studyStore)")
    try tmux.wait("read", for: "case 1/6")
    for number in 1...3 {
      try tmux.send("read", "n", "2", "Enter")
      try tmux.wait("read", for: "case \(number + 1)/6")
    }
    // The fourth answer is half filled in when the process dies.
    try tmux.send("read", "y")
    usleep(200_000)
    let pid = try #require(try tmux.panePID("read"))
    #expect(kill(pid, SIGKILL) == 0)
    usleep(300_000)

    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForReading(path: layout.readerStore(user: me.user))
    #expect(try store.database.integrityCheck() == ["ok"])
    let reads = try store.reads()
    #expect(reads.count == 3)
    #expect(StudyData.chainProblems(reads, user: me.user).isEmpty)

    try tmux.start("again", "\(binary) read \(layout.studyStore)")
    let screen = try tmux.wait("again", for: "case 4/6")
    #expect(screen.contains("case 4/6"))
    let order = try #require(try store.sessions().first?.order)
    #expect(screen.contains(order[3]))
    try tmux.send("again", "q")
  }
}
