import Foundation
import MyoSupport
import MyoImaging

extension TriageRunner {
  /// Loads a bundle and returns a worker that classifies one case with
  /// it. Each worker owns its classifier, so that workers run in
  /// parallel (a classifier runs one case at a time).
  public static func classifierWorker(bundle: String) throws -> Worker {
    let classifier = try Classifier.load(bundle: bundle)
    let loader = SliceLoader(capacity: 8)
    return { item in
      let start = Date()
      var record = TriageRecord(
        caseName: item.name, path: item.path, probability: nil, positive: nil,
        slices: [], model: classifier.bundleName, modelSHA256: classifier.bundleHash,
        demo: classifier.demoLabel, error: nil, seconds: 0)
      do {
        let sources = CaseLibrary.slices(of: item.entry)
        let images = try sources.map { try loader.load($0).get() }
        let result = try classifier.classify(images)
        record.probability = result.probability
        record.positive = result.isPositive
        record.slices = zip(sources, result.slices).map {
          TriageRecord.Slice(file: $0.path, index: $0.index, probability: $1.probability)
        }
      } catch {
        record.error = "\(error)"
      }
      record.seconds = Date().timeIntervalSince(start)
      return record
    }
  }
}
