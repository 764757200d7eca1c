import Foundation
import Testing

private let canRun = TestPaths.binary != nil && TestPaths.tmuxAvailable

/// A study of four phantom cases from SampleCases (DICOM, PNG and NIfTI,
/// two with dystrophinopathy) in a temporary folder, made with the real
/// binary, with the demo model's predictions when `predict` is set.
struct PhantomStudy {
  static let cases = ["PH0002", "PH0003", "PH0004", "PH0010"]

  let root: String
  let study: String
  let binary: String

  init(_ label: String, options: [String], predict: Bool) throws {
    binary = try #require(TestPaths.binary)
    root = NSTemporaryDirectory() + "myoscope-e2e-\(label)-\(UUID().uuidString.prefix(8))"
    let originals = root + "/originals"
    let manager = FileManager.default
    try manager.createDirectory(atPath: originals, withIntermediateDirectories: true)
    let sample = TestPaths.packageRoot + "/SampleCases"
    let table = try String(contentsOfFile: sample + "/cases.csv", encoding: .utf8)
    var lines = table.split(separator: "\n").map(String.init)
    let header = lines.removeFirst()
    var truth = header + "\n"
    for name in Self.cases {
      try manager.copyItem(atPath: sample + "/" + name, toPath: originals + "/" + name)
      truth += try #require(lines.first { $0.hasPrefix(name + ",") }) + "\n"
    }
    try truth.write(toFile: root + "/truth.csv", atomically: true, encoding: .utf8)
    study = root + "/trial.db"
    let created = try Subprocess.run(
      [binary, "study", "create", study, "--cases", originals, "--truth", root + "/truth.csv",
       "--seed", "4"] + options)
    #expect(created.contains("created \(study): 4 cases"), "study create: \(created)")
    if predict {
      let predicted = try Subprocess.run(
        [binary, "study", "predict", study, "--model",
         TestPaths.packageRoot + "/Models/myoscope-demo.safetensors"])
      #expect(predicted.contains("stored 4 case predictions"), "study predict: \(predicted)")
    }
  }

  /// Runs `myoscope study ARGUMENTS` on the study and returns its output.
  func study(_ arguments: String...) throws -> String {
    let subcommand = Array(arguments.prefix(1))
    return try Subprocess.run([binary, "study"] + subcommand + [study] + arguments.dropFirst())
  }

  /// Returns the export's rows as fields, without the header.
  func exportRows() throws -> [[String]] {
    try study("export").split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// The columns of the slice area: the form panel takes the last 37
/// columns of the 120-column pane.
private let imageColumns = 83

/// Returns the rows between the title bar and the status line of a
/// 40-row pane.
private func bodyRows(_ screen: String) -> ArraySlice<Substring> {
  screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix(38)
}

/// Returns the slice area of a plain screen: every body row cut before
/// the panel.
private func imageArea(_ screen: String) -> String {
  bodyRows(screen).map { String($0.prefix(imageColumns)) }.joined(separator: "\n")
}

/// Splits the slice area of a screen captured with colours into one
/// entry per cell: the foreground and background in force and the character.
/// capture-pane -e writes SGR sequences only where the colours change,
/// so the colours are carried from cell to cell. A blank cell is kept
/// without its colours, because ncurses may clear the same blank cells
/// with the default or an explicit background from one frame to the
/// next (and capture-pane drops trailing blanks).
private func colouredImageArea(_ screen: String) -> [[String]] {
  bodyRows(screen).map { line in
    var cells: [String] = []
    var foreground = ""
    var background = ""
    var scalars = Array(line.unicodeScalars)[...]
    while let scalar = scalars.first, cells.count < imageColumns {
      scalars = scalars.dropFirst()
      guard scalar == "\u{1B}", scalars.first == "[" else {
        cells.append(scalar == " " ? " " : "\(foreground)|\(background)|\(scalar)")
        continue
      }
      scalars = scalars.dropFirst()
      var parameters = ""
      while let next = scalars.first, next != "m" {
        parameters.unicodeScalars.append(next)
        scalars = scalars.dropFirst()
      }
      scalars = scalars.dropFirst()
      var fields = parameters.split(separator: ";", omittingEmptySubsequences: false)
        .map(String.init)[...]
      if fields.isEmpty { fields = ["0"] }
      while let field = fields.popFirst() {
        switch field {
        case "0", "": foreground = ""; background = ""
        case "39": foreground = ""
        case "49": background = ""
        case "38", "48":
          let count = fields.first == "2" ? 4 : 2
          let value = fields.prefix(count).joined(separator: ";")
          fields = fields.dropFirst(count)
          if field == "38" { foreground = value } else { background = value }
        default:
          if let code = Int(field), (30...37).contains(code) || (90...97).contains(code) {
            foreground = field
          } else if let code = Int(field), (40...47).contains(code) || (100...107).contains(code) {
            background = field
          }
        }
      }
    }
    return cells + Array(repeating: " ", count: imageColumns - cells.count)
  }
}

@Suite(
  "Reader study in tmux", .serialized,
  .enabled(if: canRun, "needs tmux and the release binary (run scripts/test)"))
struct StudyEndToEndTests {
  @Test("aided arm hides the model until the unaided answer is locked")
  func aidedArm() throws {
    let phantom = try PhantomStudy("aided", options: ["--aided"], predict: true)
    defer { phantom.remove() }
    let session = try TmuxSession(
      directory: phantom.root, environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"])
    try session.run("\(phantom.binary) read \(phantom.study) --reader 'Dr Aided'")
    var screens = [try session.waitFor { $0.contains("case 1/4") }]
    for key in ["y", "d", "4", "Down", "Right", "g", "1", "g"] {
      try session.keys(key)
      usleep(200_000)
      screens.append(try session.screen())
    }
    for (index, screen) in screens.enumerated() {
      for text in ["probability", "Model", "heatmap", "aided", "CAM"] {
        #expect(!screen.contains(text), "screen \(index) before the lock shows '\(text)'")
      }
    }
    #expect(try phantom.exportRows().filter { $0[0] != "model" }.isEmpty)

    try session.keys("Enter")
    let shown = try session.waitFor { $0.contains("Model probability") }
    #expect(shown.contains("read (aided: model shown)   case 1/4"))
    #expect(shown.contains("Unaided (locked): yes DMD, conf. 4"))
    #expect(shown.contains("heatmap on (CAM)"))
    let stored = try phantom.exportRows().filter { $0[0] != "model" }
    #expect(stored.map { $0[2] } == ["unaided"])
    #expect(stored.first?[12] == "1")
    #expect(stored.first?[14] == "4")

    // The heatmap changes the slice's colours; h takes it away.
    let withMap = colouredImageArea(try session.screenWithColours())
    try session.keys("h")
    try session.waitFor { $0.contains("heatmap off (CAM)") }
    let withoutMap = colouredImageArea(try session.screenWithColours())
    #expect(withMap != withoutMap)

    try session.keys("n", "2", "Enter")
    try session.waitFor { $0.contains("case 2/4") && !$0.contains("Model probability") }
    let rows = try phantom.exportRows().filter { $0[0] != "model" }
    #expect(rows.map { $0[2] } == ["unaided", "aided"])
    #expect(rows.last?[12] == "0")

    // SIGHUP once the second unaided answer is locked: the resumed
    // session shows that case again with its locked answer.
    try session.keys("y", "3", "Enter")
    try session.waitFor { $0.contains("Unaided (locked): yes, conf. 3") }
    let pid = try #require(try session.foregroundPID(named: "myoscope"))
    #expect(kill(pid, SIGHUP) == 0)
    try session.waitFor { $0.contains(TmuxSession.promptText) && !$0.contains("case 2/4") }
    try session.run("clear; \(phantom.binary) read \(phantom.study)")
    let resumed = try session.waitFor { $0.contains("Unaided (locked)") }
    #expect(resumed.contains("case 2/4"))
    #expect(resumed.contains("Unaided (locked): yes, conf. 3"))
    #expect(resumed.contains("Model probability"))
    #expect(try phantom.exportRows().filter { $0[0] != "model" }.count == 3)
    try session.keys("q")
  }

  @Test("study predict finds the demo bundle from any folder")
  func predictFromAnyFolder() throws {
    let phantom = try PhantomStudy("anyfolder", options: [], predict: false)
    defer { phantom.remove() }
    // Started by name through PATH from a folder without Models/, as an
    // installed program is, so that only the executable's own location
    // leads to the bundle.
    let binaryFolder = (phantom.binary as NSString).deletingLastPathComponent
    let output = try Subprocess.run([
      "env", "-u", "MYOSCOPE_MODEL", "sh", "-c",
      "cd \"$1\" && PATH=\"$2:$PATH\" myoscope study predict \"$3\"",
      "sh", phantom.root, binaryFolder, phantom.study,
    ])
    #expect(output.contains("stored 4 case predictions"), "\(output)")
  }

  @Test("read on an aided study without model output names study predict")
  func aidedWithoutPredictions() throws {
    let phantom = try PhantomStudy("nomodel", options: ["--aided"], predict: false)
    defer { phantom.remove() }
    let output = try Subprocess.run([phantom.binary, "read", phantom.study])
    #expect(output.contains("this study has an aided arm but no model output yet"))
    #expect(output.contains("'myoscope study predict \(phantom.study)'"))
  }

  @Test("teaching shows the heatmap, the muscle labels and the grades")
  func teaching() throws {
    let phantom = try PhantomStudy("teach", options: ["--teaching"], predict: true)
    defer { phantom.remove() }
    let session = try TmuxSession(
      directory: phantom.root, environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"])
    try session.run("\(phantom.binary) teach \(phantom.study)")
    let form = try session.waitFor { $0.contains("case 1/4") }
    #expect(!form.contains("Truth"))
    #expect(!form.contains("Mercuri grades, right/left"))
    let plain = colouredImageArea(try session.screenWithColours())

    try session.keys("y", "4", "Enter")
    let answer = try session.waitFor { $0.contains("Mercuri grades, right/left:") }
    #expect(answer.contains("Truth: "))
    #expect(answer.contains("Model probability: "))
    #expect(answer.contains("heatmap on (CAM)"))
    #expect(answer.contains("Muscle labels on"))
    #expect(answer.contains("score 1/1") || answer.contains("score 0/1"))
    // Every phantom case has grades for RF and VL on both sides.
    #expect(answer.range(of: "RF   [0-4ab]+/[0-4ab]+", options: .regularExpression) != nil)
    #expect(answer.range(of: "VL   [0-4ab]+/[0-4ab]+", options: .regularExpression) != nil)
    let abbreviations = ["RF", "VL", "VI", "VM", "SA", "GR", "AL", "AM", "ST", "SM"]
    let labelled = abbreviations.filter { imageArea(answer).contains($0) }
    // How many names fit depends on the case the seeded order shows
    // first (a small or fatty thigh has few muscles of six cells or
    // more, and neighbouring names may overwrite each other), so the
    // check asks for two and the toggle below for fewer without labels.
    #expect(labelled.count >= 2, "muscle names on the slice: \(labelled)")
    let overlays = colouredImageArea(try session.screenWithColours())
    #expect(overlays != plain)

    try session.keys("l")
    let unlabelled = try session.waitFor { $0.contains("Muscle labels off") }
    #expect(abbreviations.filter { imageArea(unlabelled).contains($0) }.count < labelled.count)
    try session.keys("h")
    try session.waitFor { $0.contains("heatmap off (CAM)") }
    #expect(colouredImageArea(try session.screenWithColours()) == plain)

    try session.keys("Space")
    try session.waitFor { $0.contains("case 2/4") && !$0.contains("Truth") }
    try session.keys("q")
    // Teaching reads are no study's reads: the export has the model only.
    #expect(try phantom.exportRows().filter { $0[0] != "model" }.isEmpty)
  }

  @Test("keys typed while read starts are kept")
  func typeahead() throws {
    let phantom = try PhantomStudy("typeahead", options: [], predict: false)
    defer { phantom.remove() }
    let session = try TmuxSession(directory: phantom.root, environment: ["TERM": "xterm-256color"])
    // The keys follow the command at once, before myoscope has started
    // and switched the terminal to application cursor mode.
    try session.run("\(phantom.binary) read \(phantom.study)")
    try session.keys("Down", "y", "4", "Enter")
    try session.waitFor { $0.contains("case 2/4") }
    try session.keys("q")
    let rows = try phantom.exportRows()
    #expect(rows.count == 1)
    let read = try #require(rows.first)
    #expect(read[12] == "1")
    #expect(read[14] == "4")
    // Six slices open at the fourth; Down moved to the fifth.
    #expect(read[18] == "5")
  }
}
