import Foundation
import MyoImaging
import Testing

@Suite(
  "info command",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct InfoCommandTests {
  /// Writes a 4 x 4 x 1 NIfTI-1 volume whose scl_slope and scl_inter
  /// (float32 at header bytes 112 and 116) are set to the given values.
  static func writeVolume(slope: Float, intercept: Float, in folder: String)
    throws -> String
  {
    let path = folder + "/scaled.nii"
    var bytes = try NIfTIWriter.encode(
      values: Array(0..<16), size: [4, 4, 1],
      affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], dataType: .int16,
      description: "rescale test", compressed: false, path: path)
    for (offset, value) in [(112, slope), (116, intercept)] {
      withUnsafeBytes(of: value.bitPattern.littleEndian) { raw in
        bytes.replaceSubrange(offset..<offset + 4, with: raw)
      }
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test(
    "NIfTI rescale line",
    arguments: [
      (Float(0), Float(5), "rescale             none (scl_slope 0.0)"),
      (Float(2), Float(5), "rescale             slope 2.0, intercept 5.0"),
    ])
  func rescaleLine(slope: Float, intercept: Float, line: String) throws {
    let folder = NSTemporaryDirectory() + "myoscope-info-" + UUID().uuidString
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = try Self.writeVolume(
      slope: slope, intercept: intercept, in: folder)

    let text = try BadInputTests.run(["info", path], in: folder)
    #expect(text.status == 0, "\(text.text)")
    #expect(text.text.contains(line), "\(text.text)")

    // The JSON keeps the values as stored.
    let json = try BadInputTests.run(["info", path, "--json"], in: folder)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.text.utf8))
        as? [String: Any])
    let file = try #require((object["files"] as? [[String: Any]])?.first)
    #expect(file["rescaleSlope"] as? Double == Double(slope))
    #expect(file["rescaleIntercept"] as? Double == Double(intercept))
  }
}
