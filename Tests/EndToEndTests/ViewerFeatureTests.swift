import Foundation
import Testing

private let canRun = TestPaths.binary != nil && TestPaths.tmuxAvailable

/// Starts the viewer on SampleCases in a fresh session and waits for the
/// first slice.
private func openSampleCases(
  width: Int = 120, height: Int = 40,
  environment: [String: String] = ["COLORTERM": "truecolor"],
  arguments: String = ""
) throws -> TmuxSession {
  let binary = try #require(TestPaths.binary)
  let session = try TmuxSession(
    width: width, height: height, directory: TestPaths.packageRoot,
    environment: environment)
  try session.run("\(binary) SampleCases \(arguments); echo exit=$?")
  try session.waitFor { $0.contains("slice 1/") }
  return session
}

@Suite(
  "Viewer features in tmux", .serialized,
  .enabled(if: canRun, "needs tmux and the release binary (run scripts/test)"))
struct ViewerFeatureTests {
  @Test("keys are answered while the classifier runs")
  func classifyWhileScrolling() throws {
    let session = try openSampleCases()
    try session.keys("c")
    try session.waitFor { $0.contains("classifying") }
    // Slice changes show while the job runs.
    try session.keys("]")
    let moved = try session.waitFor { $0.contains("slice 2/") }
    #expect(moved.contains("classifying") || moved.contains("p="))
    try session.keys("[")
    try session.waitFor { $0.contains("slice 1/") }
    let done = try session.waitFor(seconds: 240) { $0.contains("p=") }
    #expect(done.contains("case p ="))
    #expect(done.contains("demo") || done.contains("DEMO") || done.contains("Demo"))

    // The heatmap shows with its legend.
    try session.keys("h")
    let heatmap = try session.waitFor { $0.contains("Heatmap (CAM)") }
    #expect(heatmap.contains("jet, opacity 45%"))
    try session.keys("M")
    try session.waitFor { $0.contains("viridis, opacity") }
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("Esc cancels a running classification")
  func cancel() throws {
    let session = try openSampleCases()
    try session.keys("c", "Escape")
    try session.waitFor(seconds: 120) {
      $0.contains("classification cancelled")
    }
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("resizing reflows the screen", arguments: [(80, 24), (200, 60), (300, 90)])
  func resize(width: Int, height: Int) throws {
    let session = try openSampleCases()
    try session.tmux([
      "resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)",
    ])
    let screen = try session.waitFor {
      let lines = $0.components(separatedBy: "\n")
      return lines.count >= height
        && lines[height - 1].contains("slice 1/")
    }
    let widest = screen.components(separatedBy: "\n").map { $0.count }.max() ?? 0
    #expect(widest <= width)
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("NO_COLOR sends no colour")
  func noColor() throws {
    let session = try openSampleCases(
      environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"])
    let screen = try session.screenWithColours()
    #expect(!screen.contains("\u{1B}[38;2;"))
    #expect(!screen.contains("\u{1B}[38;5;"))
    #expect(screen.contains("@") || screen.contains("#"))
    // The heatmap would hide the anatomy in text shades, so h prints a message instead.
    try session.keys("h")
    try session.waitFor { $0.contains("the heatmap needs colour") }
    try session.keys("q")
  }

  @Test("help overlay opens and closes")
  func help() throws {
    let session = try openSampleCases()
    try session.keys("?")
    let help = try session.waitFor { $0.contains("Keys (any key closes)") }
    #expect(help.contains("cine playback"))
    try session.keys("x")
    try session.waitFor { !$0.contains("Keys (any key closes)") }
    try session.keys("q")
  }

  @Test("the filter narrows the case list")
  func filter() throws {
    let session = try openSampleCases()
    try session.keys("/", "0", "2", "3", "Enter")
    let screen = try session.waitFor { $0.contains("/023") }
    #expect(screen.contains("PH0023"))
    #expect(!screen.contains("PH0001 "))
    try session.keys("q")
  }

  @Test("escape sequences in DICOM text are shown escaped")
  func escapedText() throws {
    let binary = try #require(TestPaths.binary)
    let root = NSTemporaryDirectory() + "myoscope-escape-\(UUID())"
    try FileManager.default.createDirectory(
      atPath: root + "/case", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    var bytes = [UInt8](
      try Data(
        contentsOf: URL(
          fileURLWithPath: TestPaths.packageRoot
            + "/SampleCases/PH0001/slice01.dcm")))
    // Series Description (0008,103E) holds "t1_se_tra " (10 bytes); the
    // replacement is 10 bytes too: ESC [ 2 J then "evil!!".
    let original = Array("t1_se_tra ".utf8)
    let start = try #require(
      (0..<(bytes.count - original.count)).first {
        Array(bytes[$0..<($0 + original.count)]) == original
      })
    let hostile: [UInt8] = [0x1B] + Array("[2Jevil!!".utf8)
    bytes.replaceSubrange(start..<(start + 10), with: hostile)
    try Data(bytes).write(to: URL(fileURLWithPath: root + "/case/01.dcm"))

    let session = try TmuxSession(
      width: 140, height: 40, directory: root,
      environment: ["COLORTERM": "truecolor"])
    try session.run("\(binary) \(root)/case")
    let screen = try session.waitFor { $0.contains("slice 1/1") }
    #expect(screen.contains("\\x1B[2Jevil!!"))
    #expect(screen.contains("Cases"), "the screen was not cleared")
    try session.keys("q")
  }

  @Test("an unreadable slice is left out of the classification")
  func classifyWithUnreadableSlice() throws {
    let binary = try #require(TestPaths.binary)
    let root = NSTemporaryDirectory() + "myoscope-skip-\(UUID())"
    let caseFolder = root + "/case-a"
    try FileManager.default.createDirectory(
      atPath: caseFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    for name in ["slice01.dcm", "slice02.dcm"] {
      try FileManager.default.copyItem(
        atPath: TestPaths.packageRoot + "/SampleCases/PH0001/" + name,
        toPath: caseFolder + "/" + name)
    }
    try Data("not an image at all".utf8).write(
      to: URL(fileURLWithPath: caseFolder + "/slice03.dcm"))

    let session = try TmuxSession(
      width: 140, height: 40, directory: root,
      environment: ["COLORTERM": "truecolor"])
    try session.run("\(binary) \(root); echo exit=$?")
    try session.waitFor { $0.contains("slice 1/3") }
    try session.keys("c")
    let done = try session.waitFor(seconds: 240) { $0.contains("p=") }
    #expect(done.contains("2 of 3 slices used"))
    try session.keys("End")
    let skipped = try session.waitFor { $0.contains("slice 3/3") }
    #expect(skipped.contains("slice not read"))
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("mouse clicks select cases and the wheel pages")
  func mouse() throws {
    let session = try openSampleCases()
    // X10 mouse reports as the terminal sends them: ESC [ M, then the
    // button, the column and the row, each offset by 32 (coordinates
    // 1-based). Button 0 is a left press, 3 a release, 64 and 65 the wheel.
    func report(button: Int, column: Int, row: Int) throws {
      let bytes = [27, 91, 77, 32 + button, 33 + column, 33 + row]
      let text = String(decoding: bytes.map(UInt8.init), as: UTF8.self)
      try session.tmux(["send-keys", "-t", "0", "-l", text])
    }
    // The third case in the list is on screen row 3 (the heading is row 0).
    try report(button: 0, column: 3, row: 3)
    try report(button: 3, column: 3, row: 3)
    try session.waitFor { $0.contains("PH0003  slice 1/") }
    try report(button: 65, column: 60, row: 15)
    try session.waitFor { $0.contains("PH0003  slice 2/") }
    try report(button: 64, column: 60, row: 15)
    try session.waitFor { $0.contains("PH0003  slice 1/") }
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("SGR mouse reports past column 223")
  func sgrMouse() throws {
    // tmux's terminfo entries name X10 mouse reports, whose columns end at
    // 223. An entry with kmous=\E[< and an XM string that sets mode 1006
    // makes ncurses request SGR reports, as the README describes.
    let folder = NSTemporaryDirectory() + "myoscope-terminfo-\(UUID())"
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let source = """
      tmux-256color|tmux with SGR mouse reports,
      \tkmous=\\E[<, XM=\\E[?1006;1000%?%p1%{1}%=%th%el%;,
      \tuse=tmux-256color,

      """
    try source.write(
      toFile: folder + "/tmux-sgr.src", atomically: true, encoding: .utf8)
    try Subprocess.run(
      ["tic", "-x", "-o", folder, folder + "/tmux-sgr.src"], capture: false)
    let session = try openSampleCases(
      width: 300, height: 60,
      environment: ["TERM": "tmux-256color", "TERMINFO": folder])
    let modes = try session.tmux([
      "display-message", "-t", "0", "-p", "#{mouse_sgr_flag}",
    ])
    #expect(modes.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    // A wheel-down report at column 251, row 20 (1-based), which X10
    // cannot encode.
    try session.tmux(["send-keys", "-t", "0", "-l", "\u{1B}[<65;251;20M"])
    try session.waitFor { $0.contains("slice 2/") }
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test("80 x 24 shows the heatmap legend under the slice")
  func smallWindowLegend() throws {
    let session = try openSampleCases(width: 80, height: 24)
    try session.keys("c")
    try session.waitFor(seconds: 240) { $0.contains("p=") }
    try session.keys("h")
    let screen = try session.waitFor { $0.contains("CAM jet") }
    #expect(screen.contains("DEMO p="), "the demo bundle is named on the status line")
    // The row above the status line contains "low <colour bar> high".
    let lines = screen.components(separatedBy: "\n")
    let statusIndex = try #require(lines.lastIndex { $0.contains("slice 1/") })
    let legendRow = lines[statusIndex - 1]
    let values = legendRow.split(separator: " ").filter {
      Double($0) != nil && $0.contains(".")
    }
    #expect(values.count == 2, "legend row: \(legendRow)")
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }
}
