import Testing

@testable import MyoImaging

/// One real Siemens MR mosaic (384 x 384, 12 of 16 bits) saved in nine
/// transfer syntaxes; all must decode to the same pixels.
@Suite struct TransferSyntaxFileTests {
  static let folder = "mr-dicom-transfer-syntaxes"
  static let files: [(name: String, uid: String)] = [
    ("1.dcm", "1.2.840.10008.1.2.1"),
    ("2.dcm", "1.2.840.10008.1.2"),
    ("3.dcm", "1.2.840.10008.1.2.2"),
    ("4.dcm", "1.2.840.10008.1.2.5"),
    ("5.dcm", "1.2.840.10008.1.2.4.70"),
    ("6.dcm", "1.2.840.10008.1.2.4.70"),
    ("7.dcm", "1.2.840.10008.1.2.4.80"),
    ("8.dcm", "1.2.840.10008.1.2.4.80"),
    ("9.dcm", "1.2.840.10008.1.2.4.90"),
  ]

  static func read(_ name: String) throws -> (DICOMFile, ScalarImage)? {
    guard let path = SharedData.path("\(folder)/In/\(name)") else {
      print(SharedData.missing("\(folder)/In/\(name)"))
      return nil
    }
    let file = try DICOMParser().parse(try FileBytes.read(path), path: path)
    return (file, try DICOMImageReader.image(file, orient: false))
  }

  @Test(arguments: files) func decodesLikeExplicitLittle(
    name: String, uid: String
  ) throws {
    guard let (file, image) = try Self.read(name),
      let (_, reference) = try Self.read("1.dcm")
    else { return }
    #expect(file.transferSyntax.uid == uid)
    #expect(image.width == 384)
    #expect(image.height == 384)
    #expect(image.values == reference.values, "\(name) differs from 1.dcm")
  }

  /// Ref/1.nii holds the 35 tiles of 64 x 64 as slices: tile k, row r,
  /// column c equals voxel (c, 63 - r, k).
  @Test func tilesMatchReferenceVolume() throws {
    guard let (_, image) = try Self.read("1.dcm") else { return }
    let niftiName = "\(Self.folder)/Ref/1.nii"
    guard let niftiPath = SharedData.path(niftiName) else {
      print(SharedData.missing(niftiName))
      return
    }
    let volume = try NIfTIVolume.read(path: niftiPath)
    try #require(volume.size == [64, 64, 35])
    var mismatches = 0
    for tile in 0..<35 {
      let top = (tile / 6) * 64
      let left = (tile % 6) * 64
      for row in 0..<64 {
        for column in 0..<64 {
          let mosaic = image[left + column, top + row]
          let voxel = volume.values[tile * 4096 + (63 - row) * 64 + column]
          if mosaic != voxel { mismatches += 1 }
        }
      }
    }
    #expect(mismatches == 0)
  }

  /// Values computed by pydicom from 1.dcm and 2.dcm: minimum 0, maximum
  /// 2362, sum 38036663 (mean 257.952629937066), pixel (row 100,
  /// column 100) 385, window explanation "Algo1". The check against pydicom in the same run is in
  /// `PythonReferenceTests`.
  @Test(arguments: ["1.dcm", "2.dcm"]) func uncompressedPixelValues(
    name: String
  ) throws {
    guard let (file, image) = try Self.read(name) else { return }
    let layout = try DICOMImageReader.layout(file)
    #expect(layout.bitsAllocated == 16)
    #expect(layout.bitsStored == 12)
    #expect(image.valueRange == 0...2362)
    #expect(image.values.reduce(0.0) { $0 + Double($1) } == 38_036_663)
    #expect(image[100, 100] == 385)
    #expect(image.windows.first == Window(center: 763, width: 1639, name: "Algo1"))
  }
}
