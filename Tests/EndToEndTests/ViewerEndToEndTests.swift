import Foundation
import Testing

/// The binary and tmux are both needed; scripts/test builds the binary.
private let canRun = TestPaths.binary != nil && TestPaths.tmuxAvailable


@Suite("Viewer in tmux", .serialized, .enabled(if: canRun, "needs tmux and the release binary (run scripts/test)"))
struct ViewerEndToEndTests {
  @Test("SampleCases opens, pages and quits")
  func sampleCases() throws {
    let binary = try #require(TestPaths.binary)
    let session = try TmuxSession(
      directory: TestPaths.packageRoot,
      environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"])
    try session.run("\(binary) SampleCases")
    let first = try session.waitFor { $0.contains("slice 1/") }
    let cases = try FileManager.default.contentsOfDirectory(
      atPath: TestPaths.packageRoot + "/SampleCases"
    ).filter { !$0.contains(".") }.sorted()
    let firstCase = try #require(cases.first)
    #expect(first.contains(firstCase))

    let coloured = try session.screenWithColours()
    let halfBlocks = first.unicodeScalars.filter {
      $0 == "\u{2580}" || $0 == "\u{2584}"
    }.count
    #expect(halfBlocks > 200, "half-block cells: \(halfBlocks) in\n\(first)")
    let truecolour = coloured.components(separatedBy: "8;2;").count - 1
    #expect(truecolour > 200, "24-bit colour sequences: \(truecolour)")

    try session.keys("PageDown")
    try session.waitFor { $0.contains("slice 2/") }
    try session.keys("j")
    let second = try session.waitFor { $0.contains("slice 1/") }
    #expect(second.contains(cases[1]))

    try session.keys("q")
    let after = try session.waitFor {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
        .hasSuffix(TmuxSession.prompt.trimmingCharacters(in: .whitespaces))
    }
    #expect(!after.contains("\u{2580}"), "the viewer's cells are gone")
  }

  @Test("a corrupt file shows its error and the case browses on")
  func corruptFile() throws {
    let binary = try #require(TestPaths.binary)
    let root = NSTemporaryDirectory() + "myoscope-e2e-\(UUID())"
    let caseFolder = root + "/case-a"
    try FileManager.default.createDirectory(
      atPath: caseFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let sample = try #require(
      try FileManager.default.subpathsOfDirectory(
        atPath: TestPaths.packageRoot + "/SampleCases"
      ).sorted().first { $0.hasSuffix(".png") && !$0.contains(".labels.") })
    try FileManager.default.copyItem(
      atPath: TestPaths.packageRoot + "/SampleCases/" + sample,
      toPath: caseFolder + "/01.png")
    try Data("not an image at all".utf8).write(
      to: URL(fileURLWithPath: caseFolder + "/02.dcm"))
    try FileManager.default.copyItem(
      atPath: TestPaths.packageRoot + "/SampleCases/" + sample,
      toPath: caseFolder + "/03.png")

    let session = try TmuxSession(
      directory: root, environment: ["COLORTERM": "truecolor"])
    try session.run("\(binary) \(root)")
    try session.waitFor { $0.contains("slice 1/3") }
    try session.keys("]")
    let error = try session.waitFor { $0.contains("slice 2/3") }
    #expect(error.contains("02.dcm"))
    #expect(error.contains("unsupported"))
    try session.keys("]")
    let third = try session.waitFor { $0.contains("slice 3/3") }
    #expect(
      third.contains("\u{2580}") || third.contains("\u{2584}")
        || third.contains("\u{2588}"))
    try session.keys("q")
    try session.waitFor { $0.contains(TmuxSession.promptText) && !$0.contains("slice 3/3") }
  }

  @Test(
    "SIGTERM, SIGHUP and SIGQUIT restore the terminal",
    arguments: [("TERM", SIGTERM), ("HUP", SIGHUP), ("QUIT", SIGQUIT)])
  func signals(name: String, number: Int32) throws {
    let binary = try #require(TestPaths.binary)
    let session = try TmuxSession(
      directory: TestPaths.packageRoot,
      environment: ["COLORTERM": "truecolor"])
    try session.run("\(binary) SampleCases; echo exit=$?")
    try session.waitFor { $0.contains("slice 1/") }
    let pid = try #require(try session.foregroundPID(named: "myoscope"))
    kill(pid, number)
    let after = try session.waitFor { $0.contains("exit=\(128 + number)") }
    #expect(!after.contains("slice 1/"), "the alternate screen was left")
    #expect(!after.contains("crashed"), "\(name): \(after)")
    #expect(try session.terminalModes() == TmuxSession.normalModes)
  }

  @Test(
    "crash signals restore the terminal first",
    arguments: [("SEGV", SIGSEGV), ("ABRT", SIGABRT), ("BUS", SIGBUS)])
  func crashSignals(name: String, number: Int32) throws {
    let binary = try #require(TestPaths.binary)
    let session = try TmuxSession(
      directory: TestPaths.packageRoot,
      environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"])
    try session.run("\(binary) SampleCases; echo exit=$?")
    try session.waitFor { $0.contains("slice 1/") }
    #expect(
      try session.terminalModes()
        == "alternate=1 keypad=1 cursor-keys=1 mouse=1 cursor=0",
      "the viewer sets the modes that the crash handler must undo")
    let pid = try #require(try session.foregroundPID(named: "myoscope"))
    kill(pid, number)

    // The Swift runtime's crash report, when enabled, waits for a key on a
    // terminal; by then the terminal must be restored already. The echo's
    // output starts a line, unlike the "exit=$?" of the command line.
    func exited(_ screen: String) -> Bool {
      screen.split(separator: "\n").contains { $0.hasPrefix("exit=") }
    }
    let report = try session.waitFor {
      $0.contains("Press space to interact") || exited($0)
    }
    #expect(try session.terminalModes() == TmuxSession.normalModes, "\(name)")
    #expect(!report.contains("slice 1/"), "\(name): \(report)")
    if !exited(report) { try session.keys("x") }
    let after = try session.waitFor { exited($0) }
    #expect(after.contains("\nexit=\(128 + number)"), "\(name): \(after)")
    #expect(try session.terminalModes() == TmuxSession.normalModes, "\(name)")
  }

  @Test("Ctrl-C quits cleanly")
  func controlC() throws {
    let binary = try #require(TestPaths.binary)
    let session = try TmuxSession(
      directory: TestPaths.packageRoot,
      environment: ["COLORTERM": "truecolor"])
    try session.run("\(binary) SampleCases; echo exit=$?")
    try session.waitFor { $0.contains("slice 1/") }
    try session.keys("C-c")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("256-colour mode uses palette colours")
  func palette() throws {
    let binary = try #require(TestPaths.binary)
    let session = try TmuxSession(
      directory: TestPaths.packageRoot, environment: ["TERM": "xterm-256color"])
    try session.run("env -u COLORTERM \(binary) SampleCases --color 256")
    try session.waitFor { $0.contains("slice 1/") }
    let coloured = try session.screenWithColours()
    #expect(coloured.contains("\u{1B}[38;5;"))
    #expect(!coloured.contains("\u{1B}[38;2;"))
    try session.keys("q")
  }

  @Test("the real thigh scans open", .enabled(if: TestPaths.sharedData != nil, "../shared/data is absent"))
  func realThigh() throws {
    let binary = try #require(TestPaths.binary)
    let data = try #require(TestPaths.sharedData)
    let session = try TmuxSession(
      directory: TestPaths.packageRoot,
      environment: ["COLORTERM": "truecolor"])
    try session.run("\(binary) \(data)/thigh-dixon-siemens")
    let screen = try session.waitFor { $0.contains("slice 1/10") }
    #expect(screen.contains("0006-Dixon_TE_345_th"))
    #expect(screen.contains("Size: 512 x 256 x 10"))
    // Orientation labels: R left of the image and L right of it, on the
    // image's middle row.
    // The slice view is the second column of the screen, between the
    // case list's and the info panel's separators.
    let labelled = screen.components(separatedBy: "\n").filter { line in
      let parts = line.components(separatedBy: "\u{2502}")
      guard parts.count >= 2 else { return false }
      let view = parts[1].trimmingCharacters(in: .whitespaces)
      return view.hasPrefix("R") && view.hasSuffix("L")
    }
    #expect(labelled.count == 1, "one row with R on the left and L on the right")
    try session.keys("q")
  }
}

@Suite("Manual page", .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct ManualPageTests {
  @Test("man/myoscope.1 matches the commands' help")
  func manualIsCurrent() throws {
    let binary = try #require(TestPaths.binary)
    let generated = Data(try Subprocess.run([binary, "--man"]).utf8)
    let committed = try Data(
      contentsOf: URL(fileURLWithPath: TestPaths.packageRoot + "/man/myoscope.1"))
    #expect(
      generated == committed,
      "man/myoscope.1 is stale: regenerate it with 'myoscope --man > man/myoscope.1'")
  }
}
