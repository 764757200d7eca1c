import Foundation
import Testing

@testable import MyoImaging

/// The records behind `myoscope info`.
@Suite struct ImageInspectorTests {
  @Test func signedTwelveBitFile() throws {
    let name = "mr-dicom-12bit/In/12bitSigned_0x0F0F.dcm"
    guard let path = SharedData.path(name) else {
      print(SharedData.missing(name))
      return
    }
    let info = try ImageInspector.inspect(path: path)
    #expect(info.format == "DICOM")
    #expect(info.transferSyntaxUID == "1.2.840.10008.1.2.1")
    #expect(info.rows == 384)
    #expect(info.columns == 384)
    #expect(info.frames == 1)
    #expect(info.bitsAllocated == 16)
    #expect(info.bitsStored == 12)
    #expect(info.highBit == 11)
    #expect(info.signed == true)
    #expect(info.photometric == "MONOCHROME2")
    #expect(info.rescaleSlope == 1)
    #expect(info.rescaleIntercept == 0)
    // pydicom: minimum -2048, maximum 2047, sum 38125324 over 384 x 384.
    let frame = try #require(info.frameStatistics.first)
    #expect(frame.minimum == -2048)
    #expect(frame.maximum == 2047)
    #expect(abs(frame.mean - 38_125_324 / 147_456) < 1e-9)
    #expect(info.phi == nil)
    let withPHI = try ImageInspector.inspect(path: path, phi: true)
    #expect(withPHI.phi != nil)
  }

  /// The JSON keys that man/myoscope-info.md documents.
  @Test func jsonKeysAreTheDocumentedOnes() throws {
    var b = NIfTIBuilder()
    b.shape([2, 1, 1], dataType: 4, bitpix: 16)
    b.int16Data([1, 3])
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("myoscope-info-\(getpid()).nii").path
    try Data(b.bytes).write(to: URL(fileURLWithPath: path))
    let info = try ImageInspector.inspect(path: path)
    let json = try JSONEncoder().encode(info)
    let object = try #require(
      try JSONSerialization.jsonObject(with: json) as? [String: Any])
    #expect(Set(object.keys) == [
      "path", "format", "rows", "columns", "frames", "samplesPerPixel",
      "bitsAllocated", "photometric", "pixelSpacing", "windows",
      "rescaleSlope", "rescaleIntercept", "niftiDataType", "niftiDimensions",
      "affineSource", "frameStatistics", "warnings",
    ])
    #expect(info.frameStatistics == [.init(index: 0, minimum: 1, maximum: 3, mean: 2)])
  }

  @Test func mosaicIsDescribed() throws {
    let name = "mr-dicom-transfer-syntaxes/In/3.dcm"
    guard let path = SharedData.path(name) else {
      print(SharedData.missing(name))
      return
    }
    let info = try ImageInspector.inspect(path: path)
    #expect(info.mosaicTiles == 35)
    #expect(info.mosaicTileSize == [64, 64])
    // The statistics stay those of the whole frame.
    #expect(info.frames == 1)
    #expect(info.rows == 384)
  }

  /// Station name, device serial number and age identify the patient or
  /// the scanner, so they are listed with `phi` only.
  @Test func scannerAndAgeNeedPHI() throws {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,1010) Station Name.
    b.text(0x0008, 0x1010, "SH", "MRC35131")
    // (0010,1010) Patient's Age.
    b.text(0x0010, 0x1010, "AS", "034Y")
    // (0018,1000) Device Serial Number.
    b.text(0x0018, 0x1000, "LO", "35131")
    b.imagePixel(rows: 1, columns: 2, allocated: 8, stored: 8)
    b.element(0x7FE0, 0x0010, "OB", [1, 2])
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("myoscope-phi-\(getpid()).dcm").path
    try Data(b.bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }

    let plain = try ImageInspector.inspect(path: path)
    #expect(plain.phi == nil)
    let encoded = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
    #expect(!encoded.contains("35131"))
    #expect(!encoded.contains("034Y"))

    let phi = try #require(try ImageInspector.inspect(path: path, phi: true).phi)
    #expect(phi["StationName"] == "MRC35131")
    #expect(phi["PatientAge"] == "034Y")
    #expect(phi["DeviceSerialNumber"] == "35131")
  }
}
