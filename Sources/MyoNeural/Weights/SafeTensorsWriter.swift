import Foundation

/// Writes tensors and a metadata map as a safetensors file (the layout is
/// described on `SafeTensorsFile`).
public enum SafeTensorsWriter {
  /// The stored precision of a tensor.
  public enum StorageType: String, Sendable {
    case f32 = "F32"
    case f16 = "F16"
  }

  /// Writes the tensors in key order, padding the header with spaces to a
  /// multiple of 8 bytes as the reference implementation does.
  public static func write(
    path: String, tensors: [String: Tensor], metadata: [String: String],
    storage: StorageType = .f32
  ) throws {
    var header: [String: Any] = [:]
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var payload = Data()
    for key in tensors.keys.sorted() {
      let tensor = tensors[key]!
      let begin = payload.count
      switch storage {
      case .f32:
        for value in tensor.values {
          withUnsafeBytes(of: value.bitPattern.littleEndian) {
            payload.append(contentsOf: $0)
          }
        }
      case .f16:
        for value in tensor.values {
          withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) {
            payload.append(contentsOf: $0)
          }
        }
      }
      header[key] = [
        "dtype": storage.rawValue, "shape": tensor.shape,
        "data_offsets": [begin, payload.count],
      ]
    }
    var json = try JSONSerialization.data(
      withJSONObject: header, options: [.sortedKeys])
    while json.count % 8 != 0 { json.append(0x20) }
    var file = Data()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) {
      file.append(contentsOf: $0)
    }
    file.append(json)
    file.append(payload)
    do {
      try file.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw NeuralError.unreadable(
        path: path, reason: "cannot write: \(error.localizedDescription)")
    }
  }
}
