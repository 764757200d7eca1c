import Foundation
import TestSupport
import Testing

@testable import MyoStudy

/// Builds a small study from hand-made DICOM files whose headers carry
/// identifying text in every place the de-identification must clean.
enum SyntheticStudy {
  /// The case folders and their truth: name, diseased, subtype.
  static let cases: [(name: String, diseased: Bool, subtype: String)] = [
    ("Smith_John_DMD", true, "DMD"), ("Jones_Mary_BMD", true, "BMD"),
    ("Brown_Peter_FSHD", false, "FSHD"), ("Taylor_Anne_myositis", false, "myositis"),
    ("Wilson_Mark_LGMD", false, "LGMD"), ("Evans_Lucy_DMD", true, "DMD"),
  ]

  /// Text that must not appear in the reading package or on screen.
  static func identifyingText(_ name: String) -> [String] {
    let surname = String(name.split(separator: "_")[0])
    return [name, surname, "MRN-\(surname)", "St Elsewhere Hospital", "thigh workup \(surname)",
      "T1 SE \(surname)", "secret \(surname)", "1.2.826.0.1.99.\(surname.count)"]
  }

  /// A temporary folder, world-traversable so that test users can enter.
  static func folder(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "myoscope-\(label)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    chmod(path, 0o755)
    return path
  }

  /// Writes the case folders and truth.csv under `root`; returns the
  /// cases folder and the truth file.
  static func writeCases(in root: String) throws -> (cases: String, truth: String) {
    let casesFolder = root + "/Originals_StElsewhere"
    var truth = "case,truth,subtype\n"
    for (index, entry) in cases.enumerated() {
      let folder = casesFolder + "/" + entry.name
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      for slice in 0..<2 {
        let bytes = dicom(name: entry.name, slice: slice, seed: index)
        let file = folder + "/\(entry.name)_IM\(slice + 1).dcm"
        #expect(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
      }
      truth += "\(entry.name),\(entry.diseased ? 1 : 0),\(entry.subtype)\n"
      chmod(folder, 0o750)
    }
    // The originals stay private to the coordinator.
    chmod(casesFolder, 0o700)
    let truthPath = root + "/truth.csv"
    try truth.write(toFile: truthPath, atomically: true, encoding: .utf8)
    chmod(truthPath, 0o600)
    return (casesFolder, truthPath)
  }

  /// Creates the study `trial.db` under `root`.
  @discardableResult
  static func create(in root: String, seed: UInt64 = 11, teaching: Bool = false,
    scale: Int = 5, aided: Bool = false) throws -> StudyLayout
  {
    let (cases, truth) = try writeCases(in: root)
    let summary = try StudyCreator.create(
      StudyCreator.Options(
        studyPath: root + "/trial.db", casesPath: cases, truthPath: truth,
        settings: StudySettings(seed: seed, confidenceScale: scale, washoutDays: 28,
          teaching: teaching, aided: aided)))
    return summary.layout
  }

  /// A 16 x 16 explicit VR little endian MR image. Element by element:
  /// file meta, then SOP class, study date, modality, institution, study
  /// and series descriptions, a referenced study sequence holding a UID,
  /// patient name, id and birth date, a private block, series and
  /// instance numbers, the image pixel module and the pixel data.
  static func dicom(name: String, slice: Int, seed: Int) -> [UInt8] {
    let surname = String(name.split(separator: "_")[0])
    let w = ElementWriter(explicit: true, bigEndian: false)
    func text(_ g: UInt16, _ e: UInt16, _ vr: String, _ value: String) -> [UInt8] {
      w.element(tag: .init(g, e), vr: vr, value: Array(value.utf8))
    }
    func u16(_ g: UInt16, _ e: UInt16, _ value: UInt16) -> [UInt8] {
      w.element(tag: .init(g, e), vr: "US", value: w.u16(value))
    }
    let syntax = text(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1")
    let metaBody = text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.4")
      + text(0x0002, 0x0003, "UI", "1.2.826.0.1.99.\(surname.count).\(slice)") + syntax
    var out = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
    out += w.element(tag: .init(0x0002, 0x0000), vr: "UL", value: w.u32(UInt32(metaBody.count)))
    out += metaBody
    out += text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.4")
    out += text(0x0008, 0x0018, "UI", "1.2.826.0.1.99.\(surname.count).\(slice)")
    out += text(0x0008, 0x0020, "DA", "20140310")
    out += text(0x0008, 0x0060, "CS", "MR")
    out += text(0x0008, 0x0080, "LO", "St Elsewhere Hospital")
    out += text(0x0008, 0x1030, "LO", "thigh workup \(surname)")
    out += text(0x0008, 0x103E, "LO", "T1 SE \(surname)")
    // (0008,1110) SQ of defined length with one item holding a UID.
    let inner = text(0x0008, 0x1155, "UI", "1.2.826.0.1.99.\(surname.count)")
    let item = w.u16(0xFFFE) + w.u16(0xE000) + w.u32(UInt32(inner.count)) + inner
    out += w.u16(0x0008) + w.u16(0x1110) + Array("SQ".utf8) + [0, 0] + w.u32(UInt32(item.count)) + item
    out += text(0x0010, 0x0010, "PN", "\(surname)^Test")
    out += text(0x0010, 0x0020, "LO", "MRN-\(surname)")
    out += text(0x0010, 0x0030, "DA", "20010203")
    out += text(0x0018, 0x0080, "DS", "450")
    out += text(0x0018, 0x0081, "DS", "12")
    out += text(0x0020, 0x0011, "IS", "3")
    out += text(0x0020, 0x0013, "IS", "\(slice + 1)")
    out += text(0x0029, 0x0010, "LO", "ACME PRIVATE")
    out += text(0x0029, 0x1010, "LT", "secret \(surname) diagnosis")
    out += u16(0x0028, 0x0002, 1)
    out += text(0x0028, 0x0004, "CS", "MONOCHROME2")
    out += u16(0x0028, 0x0010, 16)
    out += u16(0x0028, 0x0011, 16)
    out += u16(0x0028, 0x0100, 16)
    out += u16(0x0028, 0x0101, 12)
    out += u16(0x0028, 0x0102, 11)
    out += u16(0x0028, 0x0103, 0)
    var pixels: [UInt8] = []
    for i in 0..<256 {
      let value = UInt16((i * 13 + seed * 97 + slice * 31) % 4096)
      pixels += w.u16(value)
    }
    out += w.element(tag: .init(0x7FE0, 0x0010), vr: "OW", value: pixels)
    return out
  }

  /// The study's files and folders, every byte of which must be clean.
  static func packageFiles(_ layout: StudyLayout) -> [String] {
    var files = [layout.studyStore]
    let enumerator = FileManager.default.enumerator(atPath: layout.imageFolder)
    while let relative = enumerator?.nextObject() as? String {
      files.append(layout.imageFolder + "/" + relative)
    }
    return files
  }
}

/// Finds the myoscope binary for tests that run it: MYOSCOPE_BINARY, or
/// the debug build in the package.
enum Binary {
  static var path: String? {
    if let path = ProcessInfo.processInfo.environment["MYOSCOPE_BINARY"],
      FileManager.default.isExecutableFile(atPath: path)
    {
      return path
    }
    let debug = ReferenceVectors.packageRoot.appendingPathComponent(".build/debug/myoscope").path
    return FileManager.default.isExecutableFile(atPath: debug) ? debug : nil
  }
}

/// Runs a program and returns its exit status and output.
///
/// It uses posix_spawn and waitpid with the output in a temporary file,
/// not Foundation's Process and a pipe: `tmux new-session` leaves a server
/// that would hold a pipe open, and Process did not reap the tmux client
/// reliably in these tests.
@discardableResult
func runProcess(_ arguments: [String]) throws -> (status: Int32, output: String) {
  let outputPath = NSTemporaryDirectory() + "myoscope-run-\(UUID().uuidString)"
  defer { unlink(outputPath) }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_adddup2(&actions, 1, 2)
  let pid: pid_t
  switch ChildProcess.spawn(arguments, actions: &actions, searchPath: false) {
  case .success(let started): pid = started
  case .failure(let code):
    return (127, "cannot start \(arguments[0]): \(String(cString: strerror(code.code.rawValue)))")
  }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
  let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
  let exited = status & 0x7F == 0
  return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output)
}
