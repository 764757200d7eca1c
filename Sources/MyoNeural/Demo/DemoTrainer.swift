import Foundation
import MyoImaging

/// Makes the demonstration bundle: a generated backbone and a logistic
/// head trained on a synthetic cohort.
public enum DemoTrainer {
  /// The label every result of the demo bundle carries.
  public static let label =
    "random-feature backbone (seeded He initialization),"
    + " head trained on synthetic phantoms; not for diagnosis"

  /// Slices per synthetic case.
  static let slicesPerCase = 3

  /// Generates the cohort, trains the head and writes the bundle; returns
  /// a one-line summary. Deterministic for a seed and case count.
  public static func makeBundle(
    at path: String, seed: UInt64, cases: Int,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> String {
    let config = ResNetConfig(variant: .v1_5)
    var metadata = BundleMetadata(
      formatVersion: BundleMetadata.currentVersion, name: "myoscope demo",
      demoLabel: label,
      network: .init(
        architecture: "resnet50", variant: .v1_5, baseWidth: 64, batchNormEpsilon: 1e-5),
      backbone: .init(
        kind: "generated", generator: GeneratedWeights.generator, seed: seed,
        origin: "random features, no pretraining"),
      input: .torch, classNames: ["other", "dystrophinopathy"], threshold: 0.5,
      caseRule: .mean, training: [:])
    let network = try ResNetLoader.load(GeneratedWeights(seed: seed, config: config), config: config)
    let preprocessor = Preprocessor(input: metadata.input)

    // The cohort: case c is positive when c is odd; the last quarter of
    // the cases is held out for validation.
    var random = SplitMix64(seed: seed &+ 0x5eed)
    var features: [[Float]] = []
    var labels: [Bool] = []
    var caseOfImage: [Int] = []
    let total = cases * slicesPerCase
    for index in 0..<cases {
      let positive = index % 2 == 1
      for _ in 0..<slicesPerCase {
        let image = SyntheticThigh.slice(positive: positive, random: &random)
        let (crop, _) = Classifier.crop(for: image)
        let input = preprocessor.tensor(image, crop: crop)
        features.append(network.features(input, batch: 1, size: 224).pooled)
        labels.append(positive)
        caseOfImage.append(index)
        progress(features.count, total)
      }
    }
    let trainingCases = cases * 3 / 4
    let training = features.indices.filter { caseOfImage[$0] < trainingCases }
    let validation = features.indices.filter { caseOfImage[$0] >= trainingCases }

    let model = LogisticRegression.fit(
      features: training.map { features[$0] }, labels: training.map { labels[$0] },
      l2: 1e-2, iterations: 400)
    let dense = try Dense(
      weight: Tensor(shape: [1, model.weights.count], values: model.weights),
      bias: Tensor(shape: [1], values: [model.bias]), name: "head.0")

    func accuracy(_ indices: [Int]) -> Double {
      let correct = indices.filter { (dense.apply(features[$0])[0] >= 0) == labels[$0] }.count
      return Double(correct) / Double(max(indices.count, 1))
    }
    let trainingAccuracy = accuracy(training)
    let validationAccuracy = accuracy(validation)
    metadata.training = [
      "data": "synthetic phantom thighs (SyntheticThigh), \(cases) cases of"
        + " \(slicesPerCase) slices, half positive, seed \(seed)",
      "method": "logistic regression on standardized pooled features, L2 0.01,"
        + " 400 full-batch gradient steps",
      "split": "\(trainingCases) training cases, \(cases - trainingCases) validation cases",
      "accuracy": String(
        format: "training %.3f, validation %.3f (per image)", trainingAccuracy,
        validationAccuracy),
    ]
    let bundle = ModelBundle(metadata: metadata, head: [dense], path: path)
    try bundle.write(to: path)
    return String(
      format: "%d images, training accuracy %.3f, validation accuracy %.3f", total,
      trainingAccuracy, validationAccuracy)
  }
}
