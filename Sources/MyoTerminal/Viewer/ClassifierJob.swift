import Dispatch
import Foundation
import MyoImaging
import MyoNeural

/// A classification of one case running on a background Dispatch queue.
/// The interface polls its progress and result and may cancel it; every
/// property is safe to read from any thread.
public final class ClassifierJob: @unchecked Sendable {
  /// The case being classified.
  public let casePath: String
  private let lock = NSLock()
  private var done = 0
  private var total = 0
  private var stage = "loading the model"
  private var outcome: Result<ViewerClassification, Error>?
  private var cancelled = false

  init(casePath: String) {
    self.casePath = casePath
  }

  /// Slices done and slices in all, and what the job is doing.
  public var progress: (done: Int, total: Int, stage: String) {
    lock.withLock { (done, total, stage) }
  }

  /// The result once the job has ended.
  public var result: Result<ViewerClassification, Error>? {
    lock.withLock { outcome }
  }

  /// Asks the job to stop; it ends with `NeuralError.cancelled` at the
  /// next slice or stage.
  public func cancel() {
    lock.withLock { cancelled = true }
  }

  /// Whether cancel was asked.
  public var isCancelled: Bool { lock.withLock { cancelled } }

  /// Starts classifying the slices. `model` returns the classifier, loading
  /// it on first use; it runs on the background queue too. Slices that
  /// cannot be read are left out and listed in the result; the job fails
  /// only when no slice can be read.
  func start(
    slices: [SliceSource], loader: SliceLoader,
    model: @escaping @Sendable () throws -> Classifier
  ) {
    lock.withLock { total = slices.count }
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      let result = Result { () throws -> ViewerClassification in
        let classifier = try model()
        if isCancelled { throw NeuralError.cancelled }
        lock.withLock { stage = "reading slices" }
        var images: [ScalarImage] = []
        var indices: [Int] = []
        var skipped: [Int: String] = [:]
        for (index, slice) in slices.enumerated() {
          switch loader.load(slice) {
          case .success(let image):
            images.append(image)
            indices.append(index)
          case .failure(let error):
            skipped[index] = "\(error)"
          }
        }
        guard !images.isEmpty else {
          throw ViewerClassification.NoReadableSlice(
            casePath: casePath, count: slices.count)
        }
        lock.withLock {
          stage = "classifying"
          total = images.count
        }
        let classification = try classifier.classify(
          images,
          progress: { [self] finished, count in
            lock.withLock {
              done = finished
              total = count
            }
          },
          isCancelled: { [self] in isCancelled })
        return ViewerClassification(
          classification: classification, sliceIndices: indices,
          skipped: skipped)
      }
      lock.withLock { outcome = result }
    }
  }
}

/// A case's classification as the viewer shows it: the classifier saw
/// only the slices that could be read, so its per-slice results are mapped
/// back to the case's slice numbers.
public struct ViewerClassification: Sendable {
  /// The classifier's result over the readable slices.
  public var classification: CaseClassification
  /// The case's slice index of each of the classification's slices.
  public var sliceIndices: [Int]
  /// The error message of each slice left out, by slice index.
  public var skipped: [Int: String]

  /// The case probability.
  public var probability: Double { classification.probability }

  /// Returns the result for the case's slice `index`, or nil when it was skipped.
  public func slice(at index: Int) -> SliceClassification? {
    guard let position = sliceIndices.firstIndex(of: index) else { return nil }
    return classification.slices[position]
  }

  /// The error of a case in which not a single slice could be read.
  struct NoReadableSlice: Error, CustomStringConvertible {
    let casePath: String
    let count: Int
    var description: String {
      "none of the \(count) slices of \(casePath) could be read; "
        + "fix or remove the files shown in place of the slices"
    }
  }
}

/// Loads the classifier once, on first use, from any thread.
public final class ModelProvider: @unchecked Sendable {
  private let lock = NSLock()
  private var loaded: Result<Classifier, Error>?
  /// The bundle to load.
  public let bundlePath: String

  /// Creates a provider for a bundle; nil means the default bundle.
  public init(bundlePath: String? = nil) {
    self.bundlePath = bundlePath ?? Classifier.defaultBundlePath
  }

  /// The classifier, loading it on the first call.
  public func classifier() throws -> Classifier {
    try lock.withLock {
      if let loaded { return try loaded.get() }
      let result = Result { try Classifier.load(bundle: bundlePath) }
      loaded = result
      return try result.get()
    }
  }
}
