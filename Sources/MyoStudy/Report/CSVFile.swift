import Foundation
import MyoImaging

/// Reads CSV tables from disk.
public enum CSVFile {
  /// Returns the UTF-8 text of the table at `path`. FileBytes rejects
  /// folders, FIFOs and devices before opening them.
  public static func text(_ path: String) throws -> String {
    let bytes: [UInt8]
    do {
      bytes = try FileBytes.read(path)
    } catch ImagingError.isFolder {
      throw ReportError.unreadableTable(path: path, reason: "it is a folder")
    } catch ImagingError.notRegularFile(_, let kind) {
      throw ReportError.unreadableTable(
        path: path, reason: "it is not a regular file (\(kind))")
    } catch ImagingError.tooLarge(_, let size, let limit) {
      throw ReportError.unreadableTable(
        path: path,
        reason: "it is \(size) bytes, larger than the \(limit) bytes read")
    } catch ImagingError.unreadable(_, let reason) {
      throw ReportError.unreadableTable(path: path, reason: reason)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ReportError.invalidCSV(
        path: path, line: 1,
        reason: "the file is not UTF-8 text; save it as UTF-8 CSV")
    }
    return text
  }
}
