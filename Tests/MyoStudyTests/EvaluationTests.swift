import Foundation
import MyoImaging
import MyoNeural
import Testing

@testable import MyoStudy

@Suite("Model evaluation", .serialized)
struct EvaluationTests {
  /// Writes a cohort of 64x64 PNG cases: positive cases show two bright
  /// ellipses with dark cores, negative ones two uniform gray ellipses.
  static func cohort(in folder: String, cases: Int) throws -> String {
    var state: UInt64 = 99
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / 9_007_199_254_740_992
    }
    var manifest = "case,diagnosis,subtype\n"
    for index in 0..<cases {
      let positive = index % 2 == 0
      let name = String(format: "case-%03d", index)
      try FileManager.default.createDirectory(
        atPath: folder + "/" + name, withIntermediateDirectories: true)
      for slice in 0..<2 {
        var samples = [UInt16](repeating: 0, count: 64 * 64)
        for row in 0..<64 {
          for column in 0..<64 {
            var value = 10.0
            for centre in [18.0, 46.0] {
              let dx = (Double(column) - centre) / 12
              let dy = (Double(row) - 32) / 20
              let radius = dx * dx + dy * dy
              if radius <= 1 { value = positive ? (radius < 0.15 ? 60 : 220) : 110 }
            }
            value += (uniform() - 0.5) * 30
            samples[row * 64 + column] = UInt16(min(max(value, 0), 255))
          }
        }
        let bytes = try PNGCodec.encode(
          PNGPixels(width: 64, height: 64, channels: 1, bitDepth: 8, samples: samples))
        try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)/s\(slice).png"))
      }
      let subtype = positive ? (index % 4 == 0 ? "DMD" : "BMD") : "other"
      manifest += "\(name),\(positive ? "dystrophinopathy" : "LGMD"),\(subtype)\n"
    }
    let path = folder + "/cohort.csv"
    try manifest.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Trains a bundle on the reduced backbone; returns its path.
  static func train(_ manifest: String, in folder: String) throws -> String {
    var input = BundleMetadata.Input.torch
    input.size = 64
    let path = folder + "/model.safetensors"
    var configuration = TrainingConfiguration(
      manifestPath: manifest, bundlePath: path,
      backbone: .generated(seed: 4, config: ResNetConfig(variant: .v1_5, baseWidth: 4)))
    configuration.input = input
    configuration.head.optimizer = .adam
    configuration.head.learningRate = 1e-3
    configuration.head.hiddenUnits = [16]
    configuration.head.maxEpochs = 40
    configuration.split = .random(seed: 2, fractions: [0.5, 0.2, 0.3])
    _ = try TrainingPipeline.run(configuration)
    return path
  }

  @Test("table, figures and split")
  func evaluate() throws {
    let folder = NSTemporaryDirectory() + "myoscope-evaluate-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try Self.cohort(in: folder, cases: 20)
    let bundle = try Self.train(manifest, in: folder)
    let evaluation = try ModelEvaluation.run(
      manifestPath: manifest, bundlePath: bundle, selection: .part(.test),
      bootstrapReplicates: 200)

    // The test cases are those the bundle recorded, and none trained it.
    let recorded = try #require(
      try ModelBundle.read(path: bundle).metadata.training["split.test"])
    let names = try JSONDecoder().decode([String].self, from: Data(recorded.utf8))
    #expect(evaluation.cases.map(\.name) == names)
    #expect(evaluation.cases.count == 6)
    #expect(evaluation.selectionSource == "bundle")
    #expect(evaluation.warnings.isEmpty)

    // The 2x2 table and the AUC against a direct count over the cases.
    let arm = try #require(evaluation.caseAnalysis.arms.first)
    var cells = [0, 0, 0, 0]
    for item in evaluation.cases {
      switch (item.truth, item.call) {
      case (true, true): cells[0] += 1
      case (true, false): cells[1] += 1
      case (false, true): cells[2] += 1
      case (false, false): cells[3] += 1
      }
    }
    #expect(
      [arm.table.truePositives, arm.table.falseNegatives, arm.table.falsePositives,
       arm.table.trueNegatives] == cells)
    let positives = evaluation.cases.filter(\.truth).map(\.probability)
    let negatives = evaluation.cases.filter { !$0.truth }.map(\.probability)
    var wins = 0.0
    for p in positives {
      for n in negatives { wins += p > n ? 1 : (p == n ? 0.5 : 0) }
    }
    let auc = try #require(arm.auc)
    #expect(abs(auc.area - wins / Double(positives.count * negatives.count)) < 1e-12)
    #expect(arm.table.accuracy.estimate ?? 0 >= 5.0 / 6.0)
    #expect(Set(arm.subtypeSensitivity.map(\.subtype)).isSubset(of: ["DMD", "BMD"]))

    let imageArm = try #require(evaluation.imageAnalysis.arms.first)
    #expect(imageArm.units == 12)
    #expect(imageArm.cases == 6)

    // The figures decode to their layout sizes.
    let roc = try PNGCodec.decode(try evaluation.rocPNG(), path: "roc.png")
    #expect(roc.width == 72 + 400 + 24)
    #expect(roc.height == 44 + 400 + 64)
    #expect(roc.channels == 3)
    let montage = try PNGCodec.decode(try evaluation.montage.png(), path: "montage.png")
    #expect(montage.width == 4 * 248 + 5 * 8)
    #expect(montage.height == 2 * (20 + 158 + 18) + 3 * 8 + 34)
    if evaluation.montage.count(.truePositive) > 0 {
      // The first tile's frame, below the row heading, is green: a
      // correct call.
      let index = ((8 + 20) * montage.width + 8) * 3
      #expect(Array(montage.samples[index..<(index + 3)]) == [44, 160, 44])
    }

    // Every case: the training cases overlap, which is reported.
    let all = try ModelEvaluation.run(
      manifestPath: manifest, bundlePath: bundle, selection: .all, bootstrapReplicates: 50)
    #expect(all.cases.count == 20)
    #expect(all.warnings.count == 1)
  }

  @Test("ROC figure draws the curve")
  func rocFigure() {
    let points = ROCCurve.points(scores: [0.9, 0.8, 0.3, 0.1], truth: [true, true, false, false])
    let canvas = ROCFigure.canvas(caseCurve: points, imageCurve: [], operatingPoint: (0, 1))
    // A perfect curve runs up the left edge: (0, 0.5) is blue.
    let (x, y) = ROCFigure.pixel(0, 0.5)
    #expect(canvas.color(x, y) == .blue)
    // The operating point (0, 1) is a black square.
    let (px, py) = ROCFigure.pixel(0, 1)
    #expect(canvas.color(px + 3, py + 3) == .black)
  }

  @Test("ROC figure labels its axes and curves")
  func rocFigureLabels() throws {
    let points = ROCCurve.points(scores: [0.9, 0.8, 0.3, 0.1], truth: [true, true, false, false])
    let auc = AreaUnderCurve(area: 1, variance: 0, diseased: 2, nonDiseased: 2)
    let canvas = ROCFigure.canvas(
      caseCurve: points, imageCurve: points, operatingPoint: (0, 1),
      caseLabel: .init(auc: auc, count: 4), imageLabel: .init(auc: nil, count: 8))
    func inked(x: Range<Int>, y: Range<Int>) -> Int {
      var count = 0
      for row in y {
        for column in x where canvas.color(column, row) != .white { count += 1 }
      }
      return count
    }
    // Tick labels below the plot, the x axis title under them and the y
    // axis title at the left edge.
    let plotBottom = ROCFigure.top + ROCFigure.side
    #expect(inked(x: 0..<canvas.width, y: (plotBottom + 10)..<(plotBottom + 20)) > 50)
    #expect(inked(x: 0..<canvas.width, y: (plotBottom + 34)..<(plotBottom + 49)) > 100)
    #expect(inked(x: 10..<25, y: ROCFigure.top..<plotBottom) > 100)
    // The legend names the counts and the AUC with its interval.
    #expect(ROCFigure.legendText("cases", .init(auc: auc, count: 4))
      == "cases (n 4) AUC 1.000 (1.000-1.000)")
    #expect(ROCFigure.legendText("images", .init(auc: nil, count: 8)) == "images (n 8)")
    // Its solid blue swatch sits in the lower right of the plot area.
    let swatch = inked(
      x: (ROCFigure.left + ROCFigure.side / 2)..<(ROCFigure.left + ROCFigure.side),
      y: (plotBottom - 80)..<plotBottom)
    #expect(swatch > 200)
  }

  @Test("montage keeps the crop's aspect ratio")
  func montageAspect() throws {
    // A 40 x 40 crop is fitted into a 240 x 150 tile: 150 pixels square in
    // the middle, black bars of 45 pixels at each side.
    let width = 40
    let image = ScalarImage(
      width: width, height: width,
      values: (0..<(width * width)).map { Float($0 % 7) })
    let cam = CAMMap(
      values: [0, 0, 0, 1], width: 2, height: 2,
      crop: CropBox(x: 0, y: 0, width: width, height: width))
    let tile = CAMMontage.tile(.truePositive, "case-001", 0.9, 0.9, image, cam)
    #expect(tile.gray.count == CAMMontage.tileWidth * CAMMontage.tileHeight)
    let middle = CAMMontage.tileHeight / 2 * CAMMontage.tileWidth
    #expect(tile.gray[middle + 44] == -1)
    #expect(tile.gray[middle + 45] >= 0)
    #expect(tile.gray[middle + 194] >= 0)
    #expect(tile.gray[middle + 195] == -1)
  }

  @Test("jet colour scale ends")
  func jet() {
    let low = CAMMontage.jet(0)
    let high = CAMMontage.jet(1)
    #expect(low.0 == 0)
    #expect(low.2 == 0.5)
    #expect(high.0 == 0.5)
    #expect(high.2 == 0)
  }
}
