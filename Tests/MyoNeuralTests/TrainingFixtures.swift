import Foundation
import MyoImaging

@testable import MyoNeural

/// Small labelled cohorts written to a temporary folder, for training
/// tests.
///
/// Each case is a folder of 64x64 8-bit PNG slices showing two thigh-like
/// ellipses on a dark background. In a positive case the ellipses are
/// bright (fatty) with a dark core, in a negative case they are a uniform
/// mid gray, so the classes differ in intensity and texture that even a
/// random-feature backbone picks up. Noise comes from a seeded generator.
enum TrainingFixtures {
  /// A fresh temporary folder.
  static func folder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "myoscope-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes `cases` cases (alternately positive and negative) of
  /// `slices` slices each and a manifest; returns the manifest path.
  static func cohort(
    in folder: String, cases: Int, slices: Int = 2, seed: UInt64 = 7,
    splitColumn: [String]? = nil
  ) throws -> String {
    var random = SplitMix64(seed: seed)
    var manifest = "case,diagnosis,subtype,age,sex" + (splitColumn == nil ? "" : ",split") + "\n"
    for index in 0..<cases {
      let positive = index % 2 == 0
      let name = String(format: "case-%03d", index)
      let caseFolder = folder + "/" + name
      try FileManager.default.createDirectory(
        atPath: caseFolder, withIntermediateDirectories: true)
      for slice in 0..<slices {
        let bytes = try PNGCodec.encode(image(positive: positive, random: &random))
        try Data(bytes).write(
          to: URL(fileURLWithPath: caseFolder + "/slice-\(slice + 1).png"))
      }
      let diagnosis = positive ? "dystrophinopathy" : "myositis"
      let subtype = positive ? (index % 4 == 0 ? "DMD" : "BMD") : "other"
      manifest += "\(name),\(diagnosis),\(subtype),\(8 + index % 30),M"
      if let splitColumn { manifest += "," + splitColumn[index % splitColumn.count] }
      manifest += "\n"
    }
    let path = folder + "/cohort.csv"
    try manifest.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// One slice of a positive or negative case.
  static func image(positive: Bool, random: inout SplitMix64) -> PNGPixels {
    let size = 64
    var samples = [UInt16](repeating: 0, count: size * size)
    let shift = Double(random.next() % 5) - 2
    for row in 0..<size {
      for column in 0..<size {
        var value = 10.0
        for centre in [18.0 + shift, 46.0 + shift] {
          let dx = (Double(column) - centre) / 12
          let dy = (Double(row) - 32) / 20
          let radius = dx * dx + dy * dy
          if radius <= 1 {
            value = positive ? (radius < 0.15 ? 60 : 220) : 110
          }
        }
        value += (random.nextUniform() - 0.5) * 30
        samples[row * size + column] = UInt16(min(max(value, 0), 255))
      }
    }
    return PNGPixels(width: size, height: size, channels: 1, bitDepth: 8, samples: samples)
  }

  /// The reduced backbone of the tests: the ResNet50 topology at base
  /// width 4 (128 feature channels).
  static let config = ResNetConfig(variant: .v1_5, baseWidth: 4)

  /// 64x64 input with ImageNet normalization.
  static var input: BundleMetadata.Input {
    var input = BundleMetadata.Input.torch
    input.size = 64
    return input
  }
}
