import Foundation

/// A JSON-lines triage output file, opened for resuming: the cases it
/// already holds are known, and new records are appended one line each.
///
/// A run that is killed can leave a partial last line. Opening drops
/// everything after the last newline, so that case runs again, and a
/// record is written with its newline in one `write`, so every complete
/// line is a whole record.
public final class TriageOutput: @unchecked Sendable {
  /// The file, or nil for standard output (which cannot resume).
  public let path: String?
  /// Cases that have a record in the file.
  public private(set) var completed: Set<String>
  /// Bytes dropped from a partial last line when the file was opened.
  public let droppedBytes: Int
  private let handle: FileHandle
  private let lock = NSLock()

  /// Opens or creates an output file and reads the cases it holds.
  public init(path: String?) throws {
    self.path = path
    guard let path else {
      completed = []
      droppedBytes = 0
      handle = FileHandle.standardOutput
      return
    }
    let manager = FileManager.default
    if !manager.fileExists(atPath: path) {
      guard manager.createFile(atPath: path, contents: nil) else {
        throw TrainingError.outputFailed(path: path, reason: "cannot create the file")
      }
    }
    guard let data = manager.contents(atPath: path),
      let handle = FileHandle(forUpdatingAtPath: path)
    else {
      throw TrainingError.outputFailed(path: path, reason: "cannot open the file for appending")
    }
    let (cases, keep) = try Self.scan(data, path: path)
    completed = cases
    droppedBytes = data.count - keep
    do {
      if droppedBytes > 0 { try handle.truncate(atOffset: UInt64(keep)) }
      try handle.seekToEnd()
    } catch {
      throw TrainingError.outputFailed(path: path, reason: error.localizedDescription)
    }
    self.handle = handle
  }

  deinit {
    if path != nil { try? handle.close() }
  }

  /// The case names of the complete lines, and the byte count up to and
  /// including the last newline.
  static func scan(_ data: Data, path: String) throws -> (Set<String>, Int) {
    struct Key: Decodable {
      var caseName: String
      enum CodingKeys: String, CodingKey { case caseName = "case" }
    }
    let bytes = [UInt8](data)
    guard let last = bytes.lastIndex(of: 0x0A) else { return ([], 0) }
    var cases = Set<String>()
    var start = 0
    var line = 1
    let decoder = JSONDecoder()
    while start <= last {
      let end = bytes[start...last].firstIndex(of: 0x0A)!
      let slice = bytes[start..<end]
      if !slice.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
        guard let key = try? decoder.decode(Key.self, from: Data(slice)) else {
          throw TrainingError.outputFailed(
            path: path,
            reason: "line \(line) is not a triage record; remove it or write to another file")
        }
        cases.insert(key.caseName)
      }
      start = end + 1
      line += 1
    }
    return (cases, last + 1)
  }

  /// Appends one record as a line and marks its case completed.
  public func append(_ record: TriageRecord) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var line = try encoder.encode(record)
    line.append(0x0A)
    lock.lock()
    defer { lock.unlock() }
    do {
      try handle.write(contentsOf: line)
    } catch {
      throw TrainingError.outputFailed(
        path: path ?? "standard output", reason: error.localizedDescription)
    }
    completed.insert(record.caseName)
  }

  /// Whether a case already has a record.
  public func contains(_ caseName: String) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return completed.contains(caseName)
  }
}
