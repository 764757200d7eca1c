import Foundation
import MyoImaging

/// Checks model and weight files before they are opened.
enum RegularFile {
  /// Throws `NeuralError.unreadable` unless `path` is a regular file,
  /// following symbolic links. A FIFO or a device found here is never
  /// opened, so it cannot block the open or be read without end. `advice`
  /// follows the reason, as in "give the .safetensors file".
  static func check(_ path: String, advice: String? = nil) throws {
    let then = advice.map { "; \($0)" } ?? ""
    do {
      _ = try FileBytes.regularFileSize(path)
    } catch ImagingError.isFolder {
      throw NeuralError.unreadable(
        path: path, reason: "it is a folder\(then)")
    } catch ImagingError.notRegularFile(_, let kind) {
      throw NeuralError.unreadable(
        path: path,
        reason: "it is not a regular file (\(kind))\(then)")
    } catch ImagingError.unreadable(_, let reason) {
      throw NeuralError.unreadable(path: path, reason: reason)
    }
  }
}
