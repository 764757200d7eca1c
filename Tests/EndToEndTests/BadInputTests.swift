import Foundation
import Testing

/// Paths that are not image files, given to the real binary: each gets a
/// message naming the path and what to do, and none blocks or fills
/// memory.
@Suite(
  "bad input paths",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct BadInputTests {
  /// Makes a new folder containing a FIFO, an empty folder, a case folder
  /// with a link to /dev/zero, a symbolic link loop, a damaged PNG, a text
  /// file and an empty file.
  static func makeFolder() throws -> String {
    let folder = NSTemporaryDirectory() + "myoscope-bad-input-" + UUID().uuidString
    let manager = FileManager.default
    try manager.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
    try manager.createDirectory(atPath: folder + "/case", withIntermediateDirectories: true)
    try manager.createSymbolicLink(atPath: folder + "/case/zero.dcm", withDestinationPath: "/dev/zero")
    try manager.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: folder + "/loop")
    #expect(mkfifo(folder + "/fifo.dcm", 0o600) == 0)
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xEA, 0x81, 0xB2, 0x3D]
      + Array("garbage".utf8)
    try Data(png).write(to: URL(fileURLWithPath: folder + "/garbage.png"))
    try Data("Permission is hereby granted\n".utf8).write(
      to: URL(fileURLWithPath: folder + "/LICENSE"))
    try Data().write(to: URL(fileURLWithPath: folder + "/empty.dcm"))
    return folder
  }

  /// Runs the binary in `folder` and returns its output and exit status.
  static func run(_ arguments: [String], in folder: String) throws -> (text: String, status: Int) {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      ["sh", "-c", "cd \"$0\" && \"$@\"; echo \"exit=$?\"", folder, binary] + arguments)
    let lines = output.split(separator: "\n")
    let status = lines.last.flatMap { Int($0.dropFirst("exit=".count)) } ?? -1
    return (lines.dropLast().joined(separator: "\n"), status)
  }

  @Test(arguments: [
    (["render", "/dev/zero"],
     "/dev/zero is not a regular file (a character device);"
       + " myoscope reads DICOM, NIfTI and PNG files", 1),
    (["render", "fifo.dcm"], "fifo.dcm is not a regular file (a FIFO)", 1),
    (["info", "case"], "case/zero.dcm is not a regular file (a character device)", 1),
    (["classify", "empty"],
     "no images found in empty; expected DICOM, NIfTI or PNG files or folders of them", 1),
    (["render", "empty"],
     "empty is a folder; render takes one image file (use --slice N for a volume)", 2),
    (["render", "loop"], "loop: cannot read the file: too many levels of symbolic links", 1),
    (["nonexist"],
     "'nonexist' is neither a command nor a file or folder;"
       + " run 'myoscope --help' for the commands", 2),
    (["cases/nonexist"], "no such file or folder: cases/nonexist", 1),
    // One file that cannot be read gets its error, not a viewer showing
    // nothing but that error.
    (["LICENSE"],
     "LICENSE: unsupported file: found 29 bytes starting with"
       + " 50 65 72 6d 69 73 73 69; myoscope reads DICOM", 1),
    (["empty.dcm"], "empty.dcm: unsupported file: found an empty file", 1),
    (["fifo.dcm"], "fifo.dcm is not a regular file (a FIFO)", 1),
    (["render", "garbage.png"],
     "garbage.png: libpng failed: PNG unsigned integer out of range;"
       + " the file is not a valid PNG", 1),
    (["render", "garbage.png", "--size", "5000x5000"],
     "expected COLSxROWS with each from 1 to 2000, such as 100x50", 2),
  ])
  func rejects(arguments: [String], message: String, status: Int) throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let result = try Self.run(arguments, in: folder)
    #expect(result.text.contains(message), "\(arguments): \(result.text)")
    #expect(result.status == status, "\(arguments): \(result.text)")
    #expect(!result.text.contains("NSCocoaErrorDomain"))
  }

  @Test("missing demo bundle suggests --model")
  func missingDemoBundle() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // A copy of the binary with no Models/ beside it or above it.
    let binary = try #require(TestPaths.binary)
    let copy = folder + "/bin/myoscope"
    try FileManager.default.createDirectory(
      atPath: folder + "/bin", withIntermediateDirectories: true)
    // cp writes the copy in its own process. Written from this one, the
    // copy's open descriptor could be inherited by a program that another
    // test starts meanwhile, and running the copy would then fail with
    // "Text file busy" (ETXTBSY).
    try Subprocess.run(["cp", binary, copy])
    #expect(FileManager.default.isExecutableFile(atPath: copy))
    for arguments in [["model", "info"], ["study", "predict", "none.db"]] {
      let output = try Subprocess.run(
        ["env", "-u", "MYOSCOPE_MODEL", "sh", "-c",
         "cd \"$0\" && \"$@\"; echo \"exit=$?\"", folder, copy] + arguments)
      #expect(
        output.contains(
          "no model bundle given, and the demo bundle is neither at "
            + "\(folder)/Models/myoscope-demo.safetensors nor beside the"
            + " executable (\(folder)/bin/Models/myoscope-demo.safetensors"
            + " and the folders above it); pass --model BUNDLE or set"
            + " MYOSCOPE_MODEL"), "\(arguments): \(output)")
      #expect(output.hasSuffix("exit=1\n"), "\(arguments): \(output)")
    }
  }

  @Test("classify of empty folder prints no model")
  func classifyEmptyPrintsNoModel() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let result = try Self.run(["classify", "empty"], in: folder)
    #expect(!result.text.contains("model:"), "\(result.text)")
  }
}
