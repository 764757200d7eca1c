import Foundation
import Testing

@testable import MyoImaging

/// Paths that are not regular files, and files past the size limit, are
/// refused before they are read.
@Suite("file reading refuses what is not an image file")
struct FileBytesTests {
  static func makeFolder() throws -> String {
    let folder = NSTemporaryDirectory() + "myoscope-file-bytes-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test("character device is rejected")
  func characterDevice() {
    #expect(throws: ImagingError.notRegularFile(path: "/dev/zero", kind: "a character device")) {
      try FileBytes.read("/dev/zero")
    }
  }

  @Test("FIFO is rejected without blocking")
  func fifo() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/fifo.dcm"
    #expect(mkfifo(path, 0o600) == 0)
    #expect(throws: ImagingError.notRegularFile(path: path, kind: "a FIFO")) {
      try ImageFile.readAll(path: path)
    }
  }

  @Test("folder, link loop and missing file")
  func folderLoopMissing() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let loop = folder + "/loop"
    try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
    #expect(throws: ImagingError.isFolder(path: folder)) { try FileBytes.read(folder) }
    #expect(throws: ImagingError.unreadable(path: loop, reason: "too many levels of symbolic links")) {
      try FileBytes.read(loop)
    }
    let missing = folder + "/missing.dcm"
    #expect(throws: ImagingError.unreadable(path: missing, reason: "no such file or directory")) {
      try FileBytes.read(missing)
    }
  }

  @Test("file past the limit is rejected")
  func tooLarge() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/huge.nii"
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    // A sparse file: no disk space is used.
    let size = FileBytes.maximumSize + 1
    #expect(truncate(path, off_t(size)) == 0)
    let error = ImagingError.tooLarge(path: path, size: size, limit: FileBytes.maximumSize)
    #expect(throws: error) { try FileBytes.read(path) }
    #expect(error.description.contains("\(size) bytes, larger than the 4 GiB"))
  }

  @Test("device link becomes error slice")
  func deviceInCaseFolder() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let link = folder + "/zero.dcm"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
    let cases = try CaseLibrary.cases(at: folder)
    #expect(cases.map(\.files) == [[link]])
    let slices = CaseLibrary.slices(of: cases[0])
    #expect(slices == [SliceSource(path: link)])
    let loaded = SliceLoader().load(slices[0])
    #expect(throws: ImagingError.notRegularFile(path: link, kind: "a character device")) {
      try loaded.get()
    }
  }

  @Test("regular file is read whole")
  func regularFile() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/small.bin"
    let bytes = (0..<70_000).map { UInt8($0 % 251) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try FileBytes.read(path) == bytes)
  }

  @Test("damaged PNG is named invalid")
  func damagedPNG() throws {
    let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xEA, 0x81, 0xB2, 0x3D]
    #expect {
      try PNGCodec.decode(bytes, path: "garbage.png")
    } throws: { error in
      "\(error)".hasPrefix("garbage.png: libpng failed: ")
        && "\(error)".contains("the file is not a valid PNG")
    }
  }
}
