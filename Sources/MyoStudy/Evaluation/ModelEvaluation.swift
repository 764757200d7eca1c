import Foundation
import MyoImaging
import MyoNeural

/// A trained bundle measured on held-out cases of a cohort: the study's
/// table per case and per image, the ROC curves and the CAM montage.
public struct ModelEvaluation: Sendable {
  /// One case's prediction.
  public struct CasePrediction: Sendable {
    /// The case name.
    public var name: String
    /// The reference truth.
    public var truth: Bool
    /// DMD, BMD or another subtype of a positive case, nil when unknown.
    public var subtype: String?
    /// The case probability by the bundle's rule.
    public var probability: Double
    /// The call at the bundle's threshold.
    public var call: Bool
    /// Image name (file, with `#frame` for multi-slice files) and
    /// probability per slice.
    public var slices: [(image: String, probability: Double)]
  }

  /// The choice of manifest cases to evaluate.
  public enum Selection: Sendable, Equatable {
    /// One part of the split: the one the bundle recorded in training,
    /// else the manifest's split column.
    case part(SplitPart)
    /// Every case of the manifest, such as an external cohort.
    case all
  }

  /// The statistics per case.
  public var caseAnalysis: StudyAnalysis
  /// The statistics per image, with cluster bootstrap intervals.
  public var imageAnalysis: StudyAnalysis
  /// The predictions, in manifest order.
  public var cases: [CasePrediction]
  /// The CAM montage.
  public var montage: CAMMontage
  /// The bundle's threshold.
  public var threshold: Double
  /// The origin of the case list: "bundle", "manifest" or "all".
  public var selectionSource: String
  /// Warnings, such as a manifest that differs from the training one.
  public var warnings: [String]

  /// Runs the bundle on the selected cases and computes the statistics.
  public static func run(
    manifestPath: String, bundlePath: String, selection: Selection,
    bootstrapReplicates: Int = 2000, bootstrapSeed: UInt64 = 1,
    log: (String) -> Void = { _ in }
  ) throws -> ModelEvaluation {
    let manifest = try CohortManifest.read(path: manifestPath)
    let classifier = try Classifier.load(bundle: bundlePath)
    var warnings: [String] = []
    if let recorded = classifier.metadata.training["cohort.sha256"], recorded != manifest.sha256 {
      warnings.append(
        "the manifest differs from the one the bundle was trained on"
          + " (SHA-256 \(manifest.sha256.prefix(12)) against \(recorded.prefix(12)))")
    }
    let (names, source) = try selectCases(
      selection, manifest: manifest, training: classifier.metadata.training)
    let byName = Dictionary(uniqueKeysWithValues: manifest.cases.map { ($0.name, $0) })
    if let leaked = trainingOverlap(names, training: classifier.metadata.training) {
      warnings.append(
        "\(leaked) evaluated cases were used in training or validation;"
          + " the figures are not held-out")
    }

    var predictions: [CasePrediction] = []
    var montage = CAMMontage()
    for (index, name) in names.enumerated() {
      guard let item = byName[name] else {
        throw TrainingError.invalidManifest(
          path: manifestPath, line: 0,
          reason: "the bundle's split names case '\(name)', which the manifest lacks")
      }
      let files = try TrainingPipeline.imageFiles(of: item, manifest: manifestPath)
      var images: [ScalarImage] = []
      var imageNames: [String] = []
      for file in files {
        let read: [ScalarImage]
        do {
          read = try ImageFile.readAll(path: file)
        } catch {
          throw TrainingError.unreadableImage(path: file, reason: "\(error)")
        }
        let base = (file as NSString).lastPathComponent
        for (frame, image) in read.enumerated() {
          images.append(image)
          imageNames.append(read.count > 1 ? "\(name)/\(base)#\(frame + 1)" : "\(name)/\(base)")
        }
      }
      let result = try classifier.classify(images)
      let subtype = item.isPositive && !item.subtype.isEmpty ? item.subtype.uppercased() : nil
      predictions.append(
        CasePrediction(
          name: name, truth: item.isPositive, subtype: subtype,
          probability: result.probability, call: result.isPositive,
          slices: zip(imageNames, result.slices).map { ($0, $1.probability) }))

      // The slice shown for the case: the one that speaks most for the
      // case's call.
      let strongest = result.slices.indices.max { a, b in
        let pa = result.slices[a].probability
        let pb = result.slices[b].probability
        return result.isPositive ? pa < pb : pa > pb
      }
      if let strongest {
        montage.offer(
          name: name, truth: item.isPositive, call: result.isPositive, probability: result.probability,
          image: images[strongest], slice: result.slices[strongest])
      }
      log("case \(index + 1)/\(names.count) \(name): p = \(String(format: "%.3f", result.probability))")
    }

    let (caseRatings, imageRatings) = ratings(predictions, threshold: classifier.metadata.threshold)
    let caseAnalysis = try StudyAnalysis.compute(
      ratings: caseRatings, unit: .case, bootstrapReplicates: bootstrapReplicates,
      bootstrapSeed: bootstrapSeed)
    let imageAnalysis = try StudyAnalysis.compute(
      ratings: imageRatings, unit: .image, bootstrapReplicates: bootstrapReplicates,
      bootstrapSeed: bootstrapSeed)
    return ModelEvaluation(
      caseAnalysis: caseAnalysis, imageAnalysis: imageAnalysis, cases: predictions,
      montage: montage, threshold: classifier.metadata.threshold, selectionSource: source,
      warnings: warnings)
  }

  /// Builds the model's ratings: one per case (the case probability and call)
  /// and one per image (the slice probability, called at the threshold).
  static func ratings(
    _ predictions: [CasePrediction], threshold: Double
  ) -> (cases: [Rating], images: [Rating]) {
    var cases: [Rating] = []
    var images: [Rating] = []
    for prediction in predictions {
      cases.append(
        Rating(
          reader: Rating.modelReader, caseID: prediction.name, modality: "model",
          truth: prediction.truth, subtype: prediction.subtype, score: prediction.probability,
          call: prediction.call))
      for slice in prediction.slices {
        images.append(
          Rating(
            reader: Rating.modelReader, caseID: prediction.name, modality: "model",
            truth: prediction.truth, subtype: prediction.subtype, score: slice.probability,
            call: slice.probability >= threshold, image: slice.image))
      }
    }
    return (cases, images)
  }

  /// Returns the case names to evaluate and the origin of the list.
  static func selectCases(
    _ selection: Selection, manifest: CohortManifest, training: [String: String]
  ) throws -> ([String], String) {
    guard case .part(let part) = selection else {
      return (manifest.cases.map(\.name), "all")
    }
    if let text = training["split.\(part.rawValue)"],
      let names = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    {
      guard !names.isEmpty else {
        throw TrainingError.unusableSplit(
          part: part.rawValue, reason: "the bundle's split has no \(part.rawValue) cases")
      }
      return (names, "bundle")
    }
    let names = manifest.cases.filter { $0.split == part }.map(\.name)
    guard !names.isEmpty else {
      throw TrainingError.unusableSplit(
        part: part.rawValue,
        reason: "neither the bundle nor the manifest's split column names"
          + " \(part.rawValue) cases; use --split all for a separate cohort")
    }
    return (names, "manifest")
  }

  /// Counts the evaluated cases that the bundle's training or
  /// validation split lists, or nil when none is.
  static func trainingOverlap(_ names: [String], training: [String: String]) -> Int? {
    var used = Set<String>()
    for key in ["split.train", "split.validation"] {
      if let text = training[key],
        let listed = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
      {
        used.formUnion(listed)
      }
    }
    let overlap = names.filter(used.contains).count
    return overlap > 0 ? overlap : nil
  }

  /// Draws the ROC figure of the case- and image-level curves as PNG.
  public func rocPNG() throws -> [UInt8] {
    let arm = caseAnalysis.arms.first { $0.isModel }
    let table = arm?.table
    var point: (Double, Double)?
    if let table, table.diseased > 0, table.nonDiseased > 0 {
      point = (
        1 - Double(table.trueNegatives) / Double(table.nonDiseased),
        Double(table.truePositives) / Double(table.diseased)
      )
    }
    let imageArm = imageAnalysis.arms.first { $0.isModel }
    return try ROCFigure.png(
      caseCurve: arm?.roc ?? [],
      imageCurve: imageArm?.roc ?? [],
      operatingPoint: point.map { (falsePositiveRate: $0.0, truePositiveRate: $0.1) },
      caseLabel: arm.map { ROCFigure.CurveLabel(auc: $0.auc, count: $0.units) },
      imageLabel: imageArm.map { ROCFigure.CurveLabel(auc: $0.auc, count: $0.units) })
  }
}
