import Foundation
import MyoSupport

extension SHA256 {
  /// Hashes a file in 4 MB pieces.
  public static func file(_ path: String) throws -> String {
    try RegularFile.check(path)
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw NeuralError.unreadable(
        path: path, reason: "no such file or no permission")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    while let piece = try handle.read(upToCount: 4 << 20), !piece.isEmpty {
      hasher.update(piece)
    }
    return hasher.finish()
  }
}
