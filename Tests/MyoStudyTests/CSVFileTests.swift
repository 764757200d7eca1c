import Foundation
import Testing

@testable import MyoStudy

/// Table paths that are not regular files get a table error, not an
/// image error.
@Suite("CSV file reading")
struct CSVFileTests {
  @Test("folder and FIFO are rejected")
  func folderAndFIFO() throws {
    let folder = NSTemporaryDirectory() + "myoscope-csv-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fifo = folder + "/ratings.csv"
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(throws: ReportError.unreadableTable(path: folder, reason: "it is a folder")) {
      try CSVFile.text(folder)
    }
    #expect(throws: ReportError.unreadableTable(path: fifo, reason: "it is not a regular file (a FIFO)")) {
      try TruthFile.read(path: fifo)
    }
    let message = "\(ReportError.unreadableTable(path: folder, reason: "it is a folder"))"
    #expect(message.hasSuffix("cannot read the table: it is a folder; give the path of a CSV file"))
  }

  @Test("UTF-8 table is read")
  func readsText() throws {
    let path = NSTemporaryDirectory() + "myoscope-csv-" + UUID().uuidString + ".csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("case,truth\nC1,1\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(try CSVFile.text(path) == "case,truth\nC1,1\n")
    try Data([0x63, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
    #expect(throws: ReportError.invalidCSV(
      path: path, line: 1, reason: "the file is not UTF-8 text; save it as UTF-8 CSV")) {
      try CSVFile.text(path)
    }
  }
}
