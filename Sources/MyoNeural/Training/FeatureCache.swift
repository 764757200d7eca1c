import Foundation
import MyoSupport

/// Pooled backbone features on disk, one safetensors file per image file,
/// backbone, preprocessing and augmentation draw.
///
/// The key is the SHA-256 of those four identities, so a changed image or
/// backbone misses the cache instead of reusing stale features, and runs
/// with other head settings reuse every entry.
public final class FeatureCache: @unchecked Sendable {
  /// The cache folder.
  public let folder: String
  /// Lookups that found an entry.
  public private(set) var hits = 0
  /// Lookups that found none.
  public private(set) var misses = 0
  private let lock = NSLock()

  /// Version of the entry layout, part of every key.
  static let formatVersion = "myoscope-features-1"

  /// Opens (and creates) a cache folder.
  public init(folder: String) throws {
    self.folder = folder
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw TrainingError.cacheFailed(path: folder, reason: error.localizedDescription)
    }
  }

  /// The key of one image file's features.
  static func key(
    fileHash: String, backbone: String, input: String, draw: Augmentation.Draw?
  ) -> String {
    var hasher = SHA256()
    let text = [formatVersion, fileHash, backbone, input, draw?.key ?? "original"]
      .joined(separator: "\n")
    hasher.update(Data(text.utf8))
    return hasher.finish()
  }

  private func path(_ key: String) -> String {
    "\(folder)/\(key.prefix(2))/\(key).safetensors"
  }

  /// Returns the features `[slices][channels]` stored under a key, or nil.
  /// An unreadable or malformed entry counts as a miss and is rewritten.
  func lookup(_ key: String, channels: Int) -> [[Float]]? {
    let file = path(key)
    var found: [[Float]]?
    if FileManager.default.fileExists(atPath: file),
      let entry = try? SafeTensorsFile(path: file),
      let shape = entry.shape(of: "features"), shape.count == 2,
      shape[1] == channels, let tensor = try? entry.read("features")
    {
      found = (0..<shape[0]).map {
        Array(tensor.values[($0 * channels)..<(($0 + 1) * channels)])
      }
    }
    lock.lock()
    if found == nil { misses += 1 } else { hits += 1 }
    lock.unlock()
    return found
  }

  /// Stores features `[slices][channels]` under a key.
  func store(_ key: String, features: [[Float]], source: String) throws {
    let file = path(key)
    let channels = features.first?.count ?? 0
    do {
      try FileManager.default.createDirectory(
        atPath: (file as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      try SafeTensorsWriter.write(
        path: file,
        tensors: [
          "features": Tensor(
            shape: [features.count, channels], values: features.flatMap { $0 })
        ],
        metadata: ["source": source])
    } catch {
      throw TrainingError.cacheFailed(path: file, reason: "\(error)")
    }
  }
}
