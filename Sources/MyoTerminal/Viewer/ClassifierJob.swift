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
  private var outcome: Result<CaseClassification, Error>?
  private var cancelled = false

  init(casePath: String) {
    self.casePath = casePath
  }

  /// Slices done and slices in all, and what the job is doing.
  public var progress: (done: Int, total: Int, stage: String) {
    lock.withLock { (done, total, stage) }
  }

  /// The result once the job has ended.
  public var result: Result<CaseClassification, Error>? {
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
  /// it on first use; it runs on the background queue too.
  func start(
    slices: [SliceSource], loader: SliceLoader,
    model: @escaping @Sendable () throws -> Classifier
  ) {
    lock.withLock { total = slices.count }
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      let result = Result { () throws -> CaseClassification in
        let classifier = try model()
        if isCancelled { throw NeuralError.cancelled }
        lock.withLock { stage = "reading slices" }
        let images = try slices.map { try loader.load($0).get() }
        lock.withLock { stage = "classifying" }
        return try classifier.classify(
          images,
          progress: { [self] finished, count in
            lock.withLock {
              done = finished
              total = count
            }
          },
          isCancelled: { [self] in isCancelled })
      }
      lock.withLock { outcome = result }
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
