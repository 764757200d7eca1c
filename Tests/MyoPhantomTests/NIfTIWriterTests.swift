import Foundation
import Testing

@testable import MyoImaging

@Suite struct NIfTIWriterTests {
  /// Axial volumes with the x and y axes negated (the phantom's layout),
  /// as stored, and a rotated, mirrored affine that needs qfac -1.
  static let affines: [[Double]] = [
    [-0.8, 0, 0, 100, 0, -0.8, 0, 60, 0, 0, 7, -180],
    [2, 0, 0, -10, 0, 3, 0, -20, 0, 0, 4, -30],
    [0, 0, 2, 5, -1.5, 0, 0, 6, 0, 1.5, 0, 7],
    [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1, 0],
  ]

  @Test(arguments: affines)
  func affineRoundTrips(_ affine: [Double]) throws {
    let bytes = try NIfTIWriter.encode(
      values: Array(0..<24), size: [4, 3, 2], affine: affine,
      dataType: .int16, description: "test", compressed: false,
      path: "test.nii")
    var header = try NIfTIHeader.parse(bytes, path: "test.nii")
    #expect(header.sformCode == 1)
    #expect(header.qformCode == 1)
    #expect(header.dimensions == [4, 3, 2, 1, 1, 1, 1])
    // The sform stores the affine as float32.
    for (stored, expected) in zip(header.affine, affine) {
      #expect(abs(stored - expected) < 1e-5)
    }
    // The qform alone must give the same affine.
    header.sformCode = 0
    for (fromQuaternion, expected) in zip(header.affine, affine) {
      #expect(abs(fromQuaternion - expected) < 1e-5, "\(header.affine)")
    }
  }

  @Test func phantomLayoutNeedsNoFlip() throws {
    let bytes = try NIfTIWriter.encode(
      values: Array(0..<24), size: [4, 3, 2], affine: Self.affines[0],
      dataType: .uint16, description: "", compressed: true,
      path: "test.nii.gz")
    let path = NSTemporaryDirectory() + "myoscope-nifti-\(UUID().uuidString).nii.gz"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let volume = try NIfTIVolume.read(path: path)
    let axes = volume.displayAxes
    #expect(axes.horizontal == 0)
    #expect(axes.vertical == 1)
    #expect(axes.slice == 2)
    #expect(!axes.flipHorizontal)
    #expect(!axes.flipVertical)
    #expect(volume.slice(1).values == (12..<24).map(Float.init))
  }

  @Test func rejectsValueOutOfRange() {
    #expect(
      throws: ImagingError.invalidField(
        path: "x.nii", field: "NIfTI voxel value", value: "256",
        expected: "0 to 255")
    ) {
      _ = try NIfTIWriter.encode(
        values: [0, 256], size: [2, 1, 1], affine: Self.affines[1],
        dataType: .uint8, description: "", compressed: false, path: "x.nii")
    }
  }

  @Test func rejectsWrongCount() {
    #expect(throws: ImagingError.self) {
      _ = try NIfTIWriter.encode(
        values: [0, 1, 2], size: [2, 1, 1], affine: Self.affines[1],
        dataType: .uint8, description: "", compressed: false, path: "x.nii")
    }
  }
}
