import Foundation
import MyoSupport
import MyoImaging

/// Computes the pooled backbone features of image files, through the
/// same crop and preprocessing as the classifier, with a disk cache.
public final class FeatureExtractor: @unchecked Sendable {
  /// The frozen backbone.
  public let network: ResNet50
  /// The identity of the backbone's weights.
  public let backboneIdentity: String
  /// The preprocessing.
  public let input: BundleMetadata.Input
  /// The cache, or nil to compute every time.
  public let cache: FeatureCache?
  /// Slices that went through the backbone in this run.
  public private(set) var computedSlices = 0
  private let preprocessor: Preprocessor
  private let inputKey: String
  private var fileHashes: [String: String] = [:]

  /// Loads the backbone.
  public init(
    backbone: BackboneSource, input: BundleMetadata.Input, cache: FeatureCache?
  ) throws {
    network = try backbone.load()
    backboneIdentity = try backbone.identity()
    self.input = input
    self.cache = cache
    preprocessor = Preprocessor(input: input)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    inputKey = String(decoding: try encoder.encode(input), as: UTF8.self)
  }

  /// Pooled features `[channels]` per slice of an image file, of the
  /// original slices (`draw` nil) or of one augmented copy.
  public func features(file: String, draw: Augmentation.Draw? = nil) throws -> [[Float]] {
    let hash = try fileHash(file)
    let channels = network.config.featureChannels
    let key = FeatureCache.key(
      fileHash: hash, backbone: backboneIdentity, input: inputKey, draw: draw)
    if let cached = cache?.lookup(key, channels: channels) { return cached }

    let images: [ScalarImage]
    do {
      images = try ImageFile.readAll(path: file)
    } catch {
      throw TrainingError.unreadableImage(path: file, reason: "\(error)")
    }
    var result: [[Float]] = []
    for original in images {
      let image = draw.map { Augmentation.apply($0, to: original) } ?? original
      let (crop, _) = Classifier.crop(for: image)
      let tensor = preprocessor.tensor(image, crop: crop)
      result.append(network.features(tensor, batch: 1, size: input.size).pooled)
      computedSlices += 1
    }
    try cache?.store(key, features: result, source: file)
    return result
  }

  /// The inputs to the last ResNet stage `[side, side, channels]` of each
  /// slice of an image file, for fine-tuning (never cached).
  func stageInputs(file: String) throws -> [(input: [Float], side: Int)] {
    let images: [ScalarImage]
    do {
      images = try ImageFile.readAll(path: file)
    } catch {
      throw TrainingError.unreadableImage(path: file, reason: "\(error)")
    }
    return images.map { image in
      let (crop, _) = Classifier.crop(for: image)
      let tensor = preprocessor.tensor(image, crop: crop)
      let (input, side) = FineTuner.stageInput(network, tensor, size: input.size)
      return (input, side)
    }
  }

  /// The SHA-256 of an image file, computed once per run.
  public func fileHash(_ file: String) throws -> String {
    if let known = fileHashes[file] { return known }
    let hash: String
    do {
      hash = try SHA256.file(file)
    } catch {
      throw TrainingError.unreadableImage(path: file, reason: "\(error)")
    }
    fileHashes[file] = hash
    return hash
  }
}
