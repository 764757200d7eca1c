import Foundation

/// A safetensors file, read one tensor at a time.
///
/// Layout (huggingface/safetensors, format of 2023):
///
/// | bytes        | contents                                            |
/// |--------------|-----------------------------------------------------|
/// | 0..<8        | header length N, unsigned 64-bit little endian      |
/// | 8..<8+N      | JSON: key -> {dtype, shape, data_offsets [b, e]},    |
/// |              | plus an optional "__metadata__" string map          |
/// | 8+N..<end    | tensor bytes, little endian, at the offsets given   |
///
/// Offsets count from the first byte after the header. F32, F16 and BF16
/// tensors convert to float32; other types are rejected when read.
public final class SafeTensorsFile: WeightSource, @unchecked Sendable {
  /// One tensor's entry in the header.
  struct Entry {
    var dtype: String
    var shape: [Int]
    var begin: Int
    var end: Int
  }

  public let path: String
  /// The `__metadata__` map of the header, empty when absent.
  public let metadata: [String: String]
  private let entries: [String: Entry]
  private let dataStart: Int
  private let handle: FileHandle

  /// Opens a file and checks its header against the file size.
  public init(path: String) throws {
    self.path = path
    try RegularFile.check(path, advice: "give the .safetensors file")
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw NeuralError.unreadable(
        path: path, reason: "no such file or no permission")
    }
    self.handle = handle
    let fileSize = Int(try handle.seekToEnd())
    try handle.seek(toOffset: 0)
    guard fileSize >= 8, let prefix = try handle.read(upToCount: 8),
      prefix.count == 8
    else {
      throw NeuralError.invalidFile(
        path: path, field: "header length",
        found: "\(fileSize) bytes in the file",
        expected: "at least 8 bytes")
    }
    var headerLength: UInt64 = 0
    for (index, byte) in prefix.enumerated() {
      headerLength |= UInt64(byte) << (8 * UInt64(index))
    }
    guard headerLength <= UInt64(fileSize - 8), headerLength <= 100_000_000
    else {
      throw NeuralError.invalidFile(
        path: path, field: "header length", found: "\(headerLength)",
        expected: "at most \(min(fileSize - 8, 100_000_000)) (the file is"
          + " not safetensors or is truncated)")
    }
    dataStart = 8 + Int(headerLength)
    let headerData = try handle.read(upToCount: Int(headerLength)) ?? Data()
    guard let json = try? JSONSerialization.jsonObject(with: headerData),
      let header = json as? [String: Any]
    else {
      throw NeuralError.invalidFile(
        path: path, field: "header", found: "text that is not a JSON object",
        expected: "the safetensors JSON header")
    }

    var entries: [String: Entry] = [:]
    var metadata: [String: String] = [:]
    let dataSize = fileSize - dataStart
    for (key, value) in header {
      if key == "__metadata__" {
        metadata = value as? [String: String] ?? [:]
        continue
      }
      guard let fields = value as? [String: Any],
        let dtype = fields["dtype"] as? String,
        let shape = fields["shape"] as? [Int],
        let offsets = fields["data_offsets"] as? [Int], offsets.count == 2
      else {
        throw NeuralError.invalidFile(
          path: path, field: "header entry '\(key)'", found: "\(value)",
          expected: "{dtype, shape, data_offsets}")
      }
      let entry = Entry(
        dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
      guard entry.begin >= 0, entry.begin <= entry.end, entry.end <= dataSize,
        shape.allSatisfy({ $0 >= 0 })
      else {
        throw NeuralError.invalidFile(
          path: path, field: "data_offsets of '\(key)'",
          found: "\(offsets) with shape \(shape)",
          expected: "offsets within the \(dataSize) data bytes")
      }
      if let size = Self.elementSize(dtype),
        entry.end - entry.begin != shape.reduce(1, *) * size
      {
        throw NeuralError.invalidFile(
          path: path, field: "data_offsets of '\(key)'",
          found: "\(entry.end - entry.begin) bytes",
          expected: "\(shape.reduce(1, *) * size) bytes for \(dtype) \(shape)")
      }
      entries[key] = entry
    }
    self.entries = entries
    self.metadata = metadata
  }

  deinit { try? handle.close() }

  public var keys: [String] { Array(entries.keys) }

  public func shape(of key: String) -> [Int]? { entries[key]?.shape }

  /// Returns the stored type of a tensor, such as "F16".
  public func dtype(of key: String) -> String? { entries[key]?.dtype }

  public func read(_ key: String) throws -> Tensor {
    guard let entry = entries[key] else {
      throw NeuralError.missingTensor(path: path, key: key, expected: [])
    }
    guard Self.elementSize(entry.dtype) != nil else {
      throw NeuralError.unsupportedType(
        path: path, key: key, found: entry.dtype)
    }
    try handle.seek(toOffset: UInt64(dataStart + entry.begin))
    let byteCount = entry.end - entry.begin
    let data = try handle.read(upToCount: byteCount) ?? Data()
    guard data.count == byteCount else {
      throw NeuralError.invalidFile(
        path: path, field: "data of '\(key)'", found: "\(data.count) bytes",
        expected: "\(byteCount) bytes")
    }
    let count = entry.shape.reduce(1, *)
    var values = [Float](repeating: 0, count: count)
    data.withUnsafeBytes { raw in
      switch entry.dtype {
      case "F32":
        for i in 0..<count {
          values[i] = Float(
            bitPattern: UInt32(
              littleEndian: raw.loadUnaligned(
                fromByteOffset: 4 * i, as: UInt32.self)))
        }
      case "F16":
        for i in 0..<count {
          let bits = UInt16(
            littleEndian: raw.loadUnaligned(
              fromByteOffset: 2 * i, as: UInt16.self))
          values[i] = Float(Float16(bitPattern: bits))
        }
      default:  // BF16: the upper half of a float32.
        for i in 0..<count {
          let bits = UInt16(
            littleEndian: raw.loadUnaligned(
              fromByteOffset: 2 * i, as: UInt16.self))
          values[i] = Float(bitPattern: UInt32(bits) << 16)
        }
      }
    }
    return Tensor(shape: entry.shape, values: values)
  }

  static func elementSize(_ dtype: String) -> Int? {
    switch dtype {
    case "F32": return 4
    case "F16", "BF16": return 2
    default: return nil
    }
  }
}
