import Foundation
import MyoNeural

/// The model's output for a case (slice nil) or one of its slices, as the
/// reading screen shows it after a read.
public struct ModelOutput: Sendable, Equatable {
  /// The case pseudonym.
  public var pseudonym: String
  /// The slice index in the case's display order, or nil for the case.
  public var slice: Int?
  /// The probability of dystrophinopathy.
  public var probability: Double
  /// The hash of the model bundle.
  public var bundleHash: String
  /// The class activation map of a slice, when it was computed.
  public var cam: CAMMap?

  /// Creates an output.
  public init(
    pseudonym: String, slice: Int?, probability: Double, bundleHash: String,
    cam: CAMMap? = nil
  ) {
    self.pseudonym = pseudonym
    self.slice = slice
    self.probability = probability
    self.bundleHash = bundleHash
    self.cam = cam
  }
}

/// A reference Mercuri grade of one muscle on one side, from a teaching
/// case's `grades.csv`.
public struct MuscleGrade: Sendable, Equatable {
  /// The muscle, as the case's grades file names it (such as RF).
  public var muscle: String
  /// R or L.
  public var side: String
  /// 0, 1, 2a, 2b, 3 or 4.
  public var grade: String
}

extension StudyStore {
  /// Reads the model output stored by `study predict`, by pseudonym; empty
  /// for a blinded study without an aided arm and before `study predict`.
  public func modelOutputs() throws -> [String: [ModelOutput]] {
    guard schemaVersion >= 2 else { return [:] }
    var result: [String: [ModelOutput]] = [:]
    let rows = try database.query(
      "SELECT * FROM model_outputs ORDER BY pseudonym, slice")
    for row in rows {
      guard let pseudonym = row["pseudonym"].string else { continue }
      result[pseudonym, default: []].append(
        ModelOutput(
          pseudonym: pseudonym, slice: row["slice"].int,
          probability: row["probability"].double ?? 0,
          bundleHash: row["bundle_hash"].string ?? "", cam: Self.cam(row)))
    }
    return result
  }

  /// Decodes a stored map, or nil when the row has none or it is damaged.
  static func cam(_ row: SQLRow) -> CAMMap? {
    guard let width = row["cam_width"].int, let height = row["cam_height"].int,
      let text = row["cam"].string, let x = row["crop_x"].int,
      let y = row["crop_y"].int, let cropWidth = row["crop_width"].int,
      let cropHeight = row["crop_height"].int
    else { return nil }
    let values = text.split(separator: " ").compactMap { Float(String($0)) }
    guard width > 0, height > 0, values.count == width * height,
      cropWidth > 0, cropHeight > 0
    else { return nil }
    return CAMMap(
      values: values, width: width, height: height,
      crop: CropBox(x: x, y: y, width: cropWidth, height: cropHeight))
  }

  /// Replaces the stored model output with `outputs`, in one transaction.
  /// Each map is stored as its values in decimal, separated by spaces.
  public func storeModelOutputs(_ outputs: [ModelOutput]) throws {
    let now = Clock.now()
    try database.transaction {
      try database.query("DELETE FROM model_outputs")
      for output in outputs {
        var camValues: [SQLValue] = Array(repeating: .null, count: 7)
        if let cam = output.cam {
          camValues = [
            .integer(Int64(cam.width)), .integer(Int64(cam.height)),
            .integer(Int64(cam.crop.x)), .integer(Int64(cam.crop.y)),
            .integer(Int64(cam.crop.width)), .integer(Int64(cam.crop.height)),
            .text(cam.values.map { "\($0)" }.joined(separator: " ")),
          ]
        }
        try database.query(
          """
          INSERT INTO model_outputs (pseudonym, slice, probability,
            bundle_hash, cam_width, cam_height, crop_x, crop_y, crop_width,
            crop_height, cam, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          [
            .text(output.pseudonym),
            output.slice.map { .integer(Int64($0)) } ?? .null,
            .real(output.probability), .text(output.bundleHash),
          ] + camValues + [.text(now)])
      }
    }
  }

  /// Reads the reference grades of a teaching set's case, right side
  /// first, in the order of its grades file.
  public func teachingGrades(of pseudonym: String) throws -> [MuscleGrade] {
    guard schemaVersion >= 2 else { return [] }
    return try database.query(
      "SELECT * FROM teaching_grades WHERE pseudonym = ? ORDER BY rowid",
      [.text(pseudonym)]
    ).map {
      MuscleGrade(
        muscle: $0["muscle"].string ?? "", side: $0["side"].string ?? "",
        grade: $0["grade"].string ?? "")
    }
  }
}
