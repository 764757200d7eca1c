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

  /// One training image's features and label.
  struct Sample {
    var features: [Float]
    var positive: Bool
    var isTraining: Bool
  }

  /// Trains the head and writes the bundle; returns a one-line summary.
  ///
  /// With `cohort` nil the head learns from `cases` built-in synthetic
  /// cases (`SyntheticThigh`), the last quarter held out. With a cohort
  /// folder (as `myoscope phantom` writes it) it learns from the cases in
  /// its `cases.csv`: column `label` "dystrophinopathy" is positive, and
  /// column `split` "train" marks the training cases, the rest being held
  /// out. Deterministic for the same inputs.
  public static func makeBundle(
    at path: String, seed: UInt64, cases: Int, cohort: String? = nil,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> String {
    let config = ResNetConfig(variant: .v1_5)
    var metadata = BundleMetadata(
      formatVersion: BundleMetadata.currentVersion, name: "myoscope demo",
      demoLabel: label,
      network: .init(
        architecture: "resnet50", variant: .v1_5, baseWidth: 64,
        batchNormEpsilon: 1e-5),
      backbone: .init(
        kind: "generated", generator: GeneratedWeights.generator, seed: seed,
        origin: "random features, no pretraining"),
      input: .torch, classNames: ["other", "dystrophinopathy"], threshold: 0.5,
      caseRule: .mean, training: [:])
    let network = try ResNetLoader.load(
      GeneratedWeights(seed: seed, config: config), config: config)
    let preprocessor = Preprocessor(input: metadata.input)
    func features(_ image: ScalarImage) -> [Float] {
      let (crop, _) = Classifier.crop(for: image)
      let input = preprocessor.tensor(image, crop: crop)
      return network.features(input, batch: 1, size: 224).pooled
    }

    var samples: [Sample] = []
    let data: String
    if let cohort {
      let rows = try cohortRows(cohort)
      let loader = SliceLoader()
      var images: [(ScalarImage, Bool, Bool)] = []
      for row in rows {
        let entry = try CaseLibrary.cases(at: row.folder)
        for source in entry.flatMap(CaseLibrary.slices(of:)) {
          images.append(
            (try loader.load(source).get(), row.positive, row.isTraining))
        }
      }
      for (index, item) in images.enumerated() {
        samples.append(
          Sample(
            features: features(item.0), positive: item.1, isTraining: item.2))
        progress(index + 1, images.count)
      }
      let positives = rows.filter(\.positive).count
      let training = rows.filter(\.isTraining).count
      data =
        "phantom cohort \((cohort as NSString).lastPathComponent): \(rows.count) cases"
        + " (\(positives) positive, \(training) for training), \(images.count) slices"
    } else {
      // Case c is positive when c is odd; the last quarter is held out.
      var random = SplitMix64(seed: seed &+ 0x5eed)
      let total = cases * slicesPerCase
      for index in 0..<cases {
        let positive = index % 2 == 1
        for _ in 0..<slicesPerCase {
          let image = SyntheticThigh.slice(positive: positive, random: &random)
          samples.append(
            Sample(
              features: features(image), positive: positive,
              isTraining: index < cases * 3 / 4))
          progress(samples.count, total)
        }
      }
      data =
        "built-in synthetic thighs (SyntheticThigh), \(cases) cases of"
        + " \(slicesPerCase) slices, half positive, the last quarter held out"
    }
    let features = samples.map(\.features)
    let labels = samples.map(\.positive)
    let training = samples.indices.filter { samples[$0].isTraining }
    let validation = samples.indices.filter { !samples[$0].isTraining }

    let model = LogisticRegression.fit(
      features: training.map { features[$0] },
      labels: training.map { labels[$0] },
      l2: 0.01, iterations: 2000)
    let dense = try Dense(
      weight: Tensor(shape: [1, model.weights.count], values: model.weights),
      bias: Tensor(shape: [1], values: [model.bias]), name: "head.0")

    func accuracy(_ indices: [Int]) -> Double {
      let correct = indices.filter {
        (dense.apply(features[$0])[0] >= 0) == labels[$0]
      }.count
      return Double(correct) / Double(max(indices.count, 1))
    }
    let trainingAccuracy = accuracy(training)
    let validationAccuracy = accuracy(validation)
    metadata.training = [
      "data": data,
      "method": "logistic regression on standardized pooled features, L2 0.01,"
        + " 2000 full-batch gradient steps",
      "split":
        "\(training.count) training images, \(validation.count) held-out images",
      "accuracy": String(
        format: "training %.3f, validation %.3f (per image)", trainingAccuracy,
        validationAccuracy),
    ]
    let bundle = ModelBundle(metadata: metadata, head: [dense], path: path)
    try bundle.write(to: path)
    return String(
      format: "%d images, training accuracy %.3f, validation accuracy %.3f",
      samples.count,
      trainingAccuracy, validationAccuracy)
  }

  /// One case of a cohort manifest.
  struct CohortRow {
    var folder: String
    var positive: Bool
    var isTraining: Bool
  }

  /// Reads `cases.csv` of a phantom cohort: columns `case`, `label` and
  /// `split`, comma-separated, no quoted commas.
  static func cohortRows(_ folder: String) throws -> [CohortRow] {
    let path = (folder as NSString).appendingPathComponent("cases.csv")
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw NeuralError.unreadable(
        path: path,
        reason: "no such file; make the cohort with 'myoscope phantom'")
    }
    let lines = text.split(whereSeparator: \.isNewline).map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(
        String.init)
    }
    guard let header = lines.first,
      let caseColumn = header.firstIndex(of: "case"),
      let labelColumn = header.firstIndex(of: "label"),
      let splitColumn = header.firstIndex(of: "split")
    else {
      throw NeuralError.invalidFile(
        path: path, field: "header",
        found: lines.first?.joined(separator: ",") ?? "nothing",
        expected: "columns case, label and split")
    }
    var rows: [CohortRow] = []
    for fields in lines.dropFirst()
    where fields.count > max(caseColumn, labelColumn, splitColumn) {
      rows.append(
        CohortRow(
          folder: (folder as NSString).appendingPathComponent(
            fields[caseColumn]),
          positive: fields[labelColumn] == "dystrophinopathy",
          isTraining: fields[splitColumn] == "train"))
    }
    guard rows.contains(where: \.positive),
      rows.contains(where: { !$0.positive })
    else {
      throw NeuralError.invalidFile(
        path: path, field: "label", found: "one class only",
        expected: "both dystrophinopathy and other cases")
    }
    return rows
  }
}
