import Foundation
@testable import MyoImaging
import Testing

@Suite struct DICOMWriterTests {
  static let sopClass = DICOMTag(0x0008, 0x0016)
  static let sopInstance = DICOMTag(0x0008, 0x0018)

  /// Makes a writer with the two UIDs that the file meta group needs.
  static func minimal() throws -> DICOMWriter {
    var writer = DICOMWriter(path: "test.dcm")
    try writer.set(sopClass, "UI", "1.2.3")
    try writer.set(sopInstance, "UI", "1.2.3.4")
    return writer
  }

  @Test func encodesPreambleMetaAndElements() throws {
    var writer = try Self.minimal()
    try writer.set(DICOMTag(0x0010, 0x0010), "PN", "A^B")
    writer.set(DICOMTag(0x0028, 0x0010), unsignedShort: 0x0102)
    let bytes = try writer.encode(
      implementationUID: "1.2", implementationVersion: "V1")

    // 128 zero bytes, then "DICM".
    #expect(bytes[0..<128].allSatisfy { $0 == 0 })
    #expect(Array(bytes[128..<132]) == Array("DICM".utf8))
    // (0002,0000) UL, length 4.
    #expect(Array(bytes[132..<140]) == [0x02, 0x00, 0x00, 0x00, 0x55, 0x4C, 0x04, 0x00])
    // The group length counts the meta elements after it:
    //   (0002,0001) OB: 12 header + 2 value = 14
    //   (0002,0002) UI "1.2.3" + NUL: 8 + 6 = 14
    //   (0002,0003) UI "1.2.3.4": 8 + 8 = 16 (7 characters and a NUL)
    //   (0002,0010) UI "1.2.840.10008.1.2.1" + NUL: 8 + 20 = 28
    //   (0002,0012) UI "1.2": 8 + 4 = 12
    //   (0002,0013) SH "V1": 8 + 2 = 10
    let groupLength = 14 + 14 + 16 + 28 + 12 + 10
    #expect(Array(bytes[140..<144]) == [UInt8(groupLength), 0, 0, 0])
    // (0002,0001) OB: two reserved bytes and a 32-bit length.
    #expect(
      Array(bytes[144..<158])
        == [0x02, 0x00, 0x01, 0x00, 0x4F, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01])

    // The data set follows the meta group in tag order: (0008,0016),
    // (0008,0018), (0010,0010), (0028,0010).
    let data = 144 + groupLength
    #expect(
      Array(bytes[data..<(data + 14)])
        == [0x08, 0x00, 0x16, 0x00, 0x55, 0x49, 6, 0]
        + Array("1.2.3".utf8) + [0])
    // PN "A^B" is padded with a space to 4 bytes.
    let name = data + 14 + 16
    #expect(
      Array(bytes[name..<(name + 12)])
        == [0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 4, 0]
        + Array("A^B ".utf8))
    let rows = name + 12
    #expect(
      Array(bytes[rows..<(rows + 10)])
        == [0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 2, 0, 0x02, 0x01])
    #expect(bytes.count == rows + 10)
  }

  @Test func roundTripsThroughParser() throws {
    var writer = try Self.minimal()
    try writer.set(DICOMTag.patientName, "PN", "PHANTOM^0001")
    try writer.set(DICOMTag.pixelSpacing, decimals: [0.78125, 0.78125])
    try writer.set(DICOMTag.windowCenter, decimals: [1200])
    writer.set(DICOMTag.rows, unsignedShort: 2)
    writer.set(DICOMTag.columns, unsignedShort: 3)
    writer.set(DICOMTag.bitsAllocated, unsignedShort: 16)
    writer.set(DICOMTag.bitsStored, unsignedShort: 12)
    writer.set(DICOMTag.highBit, unsignedShort: 11)
    writer.set(DICOMTag.pixelRepresentation, unsignedShort: 0)
    try writer.set(DICOMTag.photometricInterpretation, "CS", "MONOCHROME2")
    writer.set(DICOMTag.pixelData, words: [0, 1, 2, 4093, 4094, 4095])
    let bytes = try writer.encode(
      implementationUID: "1.2", implementationVersion: "V1")

    let file = try DICOMParser(strict: true).parse(bytes, path: "test.dcm")
    #expect(file.hasPreamble)
    #expect(file.transferSyntax == .explicitLittle)
    #expect(file.warnings.isEmpty)
    #expect(file.dataSet.string(.patientName) == "PHANTOM^0001")
    #expect(file.dataSet.doubles(.pixelSpacing) == [0.78125, 0.78125])
    #expect(file.dataSet.double(.windowCenter) == 1200)
    let image = try DICOMImageReader.image(file)
    #expect(image.width == 3)
    #expect(image.height == 2)
    #expect(image.values == [0, 1, 2, 4093, 4094, 4095])
  }

  @Test func rejectsTooLongValue() throws {
    var writer = DICOMWriter(path: "bad.dcm")
    let long = String(repeating: "A", count: 17)
    #expect(
      throws: ImagingError.invalidField(
        path: "bad.dcm", field: "value of (0008,0060) (CS)", value: long,
        expected: "at most 16 characters")
    ) {
      try writer.set(DICOMTag.modality, "CS", long)
    }
  }

  @Test func rejectsBackslashInValue() throws {
    var writer = DICOMWriter(path: "bad.dcm")
    #expect(throws: ImagingError.self) {
      try writer.set(DICOMTag.seriesDescription, "LO", "a\\b")
    }
  }

  @Test func rejectsMissingSOPInstance() throws {
    var writer = DICOMWriter(path: "bad.dcm")
    try writer.set(Self.sopClass, "UI", "1.2.3")
    #expect(
      throws: ImagingError.invalidField(
        path: "bad.dcm", field: "(0008,0018)", value: "missing",
        expected: "a value; the file meta group needs it")
    ) {
      _ = try writer.encode(implementationUID: "1.2", implementationVersion: "V")
    }
  }

  @Test(arguments: [
    (0.78125, "0.78125"), (450, "450"), (-199.21875, "-199.21875"),
    (1.0 / 3.0, "0.333333333333"), (12345678.123456789, "12345678.1234568"),
  ])
  func decimalStringsFitSixteen(_ value: Double, _ expected: String) {
    let text = DICOMWriter.decimalString(value)
    #expect(text == expected)
    #expect(text.count <= 16)
  }
}
