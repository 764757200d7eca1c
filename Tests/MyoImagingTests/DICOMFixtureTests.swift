import Testing

@testable import MyoImaging

/// Hand-built DICOM files, one element at a time.
@Suite struct DICOMFixtureTests {
  static func image(_ bytes: [UInt8], strict: Bool = false) throws -> ScalarImage {
    let file = try DICOMParser(strict: strict).parse(bytes, path: "fixture.dcm")
    return try DICOMImageReader.image(file, orient: false)
  }

  @Test func explicitLittleWithGarbageBitsAndRescale() throws {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,0060) Modality MR.
    b.text(0x0008, 0x0060, "CS", "MR")
    b.imagePixel(rows: 2, columns: 2, allocated: 16, stored: 12)
    // (0028,1050) Window Center, two values; (0028,1051) Window Width.
    b.text(0x0028, 0x1050, "DS", "100\\200")
    b.text(0x0028, 0x1051, "DS", "50\\400")
    // (0028,1052) Rescale Intercept -10, (0028,1053) Rescale Slope 2.
    b.text(0x0028, 0x1052, "DS", "-10")
    b.text(0x0028, 0x1053, "DS", "2")
    // (7FE0,0010) Pixel Data: 0xF001 masks to 1, 0x1FFF to 4095.
    b.element(0x7FE0, 0x0010, "OW", b.words([0xF001, 0x1FFF, 0x0000, 0x0800]))
    let image = try Self.image(b.bytes)
    #expect(image.values == [-8, 8180, -10, 4086])
    #expect(image.windows.map(\.center) == [100, 200])
    #expect(image.windows.map(\.width) == [50, 400])
    #expect(image.defaultWindow.center == 100)
  }

  @Test func implicitWithoutPreambleOrMeta() throws {
    var b = DICOMBuilder()
    b.explicit = false
    // (0008,0060) Modality: a group 0008 element first, as bare data sets do.
    b.text(0x0008, 0x0060, "CS", "MR")
    b.imagePixel(rows: 1, columns: 3, allocated: 8, stored: 8)
    // (7FE0,0010) Pixel Data, three bytes and a pad byte.
    b.element(0x7FE0, 0x0010, "OB", [7, 8, 9, 0])
    let file = try DICOMParser().parse(b.bytes, path: "bare.dcm")
    #expect(file.transferSyntax == .implicitLittle)
    #expect(!file.hasPreamble)
    let image = try DICOMImageReader.image(file, orient: false)
    #expect(image.values == [7, 8, 9])
  }

  @Test func explicitBigEndian() throws {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.2")
    b.bigEndian = true
    b.imagePixel(rows: 1, columns: 2, allocated: 16, stored: 16)
    // (7FE0,0010) Pixel Data: big-endian words 0x0102 and 0xFF00.
    b.element(0x7FE0, 0x0010, "OW", [0x01, 0x02, 0xFF, 0x00])
    #expect(try Self.image(b.bytes).values == [258, 65280])
  }

  @Test func signedTwelveBitSignExtension() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 1, columns: 3, allocated: 16, stored: 12, signed: true)
    // 0x0F0F has bit 11 set: -241. 0xFFFF is -1, 0x07FF is 2047.
    b.element(0x7FE0, 0x0010, "OW", b.words([0x0F0F, 0xFFFF, 0x07FF]) + [0, 0])
    #expect(try Self.image(b.bytes).values.prefix(3) == [-241, -1, 2047])
  }

  @Test func thirtyTwoBitSigned() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 1, columns: 2, allocated: 32, stored: 32, signed: true)
    // (7FE0,0010): -2 and 100000 as little-endian int32.
    b.element(0x7FE0, 0x0010, "OB", [0xFE, 0xFF, 0xFF, 0xFF, 0xA0, 0x86, 0x01, 0x00])
    #expect(try Self.image(b.bytes).values == [-2, 100_000])
  }

  @Test func monochrome1IsMarked() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 1, columns: 2, allocated: 8, stored: 8, photometric: "MONOCHROME1")
    b.element(0x7FE0, 0x0010, "OB", [0, 255])
    let image = try Self.image(b.bytes)
    #expect(image.photometric == .monochrome1)
    #expect(image.values == [0, 255])
  }

  @Test(arguments: [0, 1]) func rgbPlanarConfigurations(planar: Int) throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(
      rows: 1, columns: 2, allocated: 8, stored: 8, photometric: "RGB",
      samples: 3, planar: planar)
    // Pixel 1 is (10, 20, 30), pixel 2 (40, 50, 60): interleaved, or as
    // the planes R = [10, 40], G = [20, 50], B = [30, 60].
    let data: [UInt8] =
      planar == 0 ? [10, 20, 30, 40, 50, 60] : [10, 40, 20, 50, 30, 60]
    b.element(0x7FE0, 0x0010, "OB", data)
    let image = try Self.image(b.bytes)
    #expect(image.rgb == [10, 20, 30, 40, 50, 60])
    #expect(image.photometric == .rgb)
  }

  @Test func ybrFullConvertsToRGB() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(
      rows: 1, columns: 1, allocated: 8, stored: 8, photometric: "YBR_FULL",
      samples: 3, planar: 0)
    // Y 76, Cb 85, Cr 255 is pure red in YBR_FULL (PS3.3 C.7.6.3.1.2).
    b.element(0x7FE0, 0x0010, "OB", [76, 85, 255, 0])
    let rgb = try #require(try Self.image(b.bytes).rgb)
    #expect(abs(Int(rgb[0]) - 254) <= 1)
    #expect(rgb[1] <= 1)
    #expect(rgb[2] <= 1)
  }

  @Test func nonSquarePixelSpacing() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0028,0030) Pixel Spacing: 0.5 mm between rows, 0.8 between columns.
    b.text(0x0028, 0x0030, "DS", "0.5\\0.8")
    b.imagePixel(rows: 1, columns: 2, allocated: 8, stored: 8)
    b.element(0x7FE0, 0x0010, "OB", [1, 2])
    #expect(try Self.image(b.bytes).spacing == PixelSpacing(row: 0.5, column: 0.8))
  }

  @Test func nestedUndefinedLengthSequences() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,1140) Referenced Image Sequence, undefined length.
    b.element(0x0008, 0x1140, "SQ", [], length: 0xFFFF_FFFF)
    // Item of undefined length.
    b.delimiter(0xE000, length: 0xFFFF_FFFF)
    // (0008,1150) Referenced SOP Class UID inside the item.
    b.text(0x0008, 0x1150, "UI", "1.2.3")
    // (0040,A730) nested Content Sequence, undefined length, one item.
    b.element(0x0040, 0xA730, "SQ", [], length: 0xFFFF_FFFF)
    b.delimiter(0xE000, length: 0xFFFF_FFFF)
    // (0008,0100) Code Value inside the nested item.
    b.text(0x0008, 0x0100, "SH", "T1")
    b.delimiter(0xE00D, length: 0)  // item delimiter
    b.delimiter(0xE0DD, length: 0)  // sequence delimiter
    b.delimiter(0xE00D, length: 0)  // item delimiter
    b.delimiter(0xE0DD, length: 0)  // sequence delimiter
    // (0009,1010) private UN of undefined length: implicit VR content.
    b.element(0x0009, 0x1010, "UN", [], length: 0xFFFF_FFFF)
    b.delimiter(0xE000, length: 0xFFFF_FFFF)
    b.explicit = false
    // (0009,1011) implicit element inside the UN item.
    b.element(0x0009, 0x1011, "", Array("ab".utf8))
    b.explicit = true
    b.delimiter(0xE00D, length: 0)
    b.delimiter(0xE0DD, length: 0)
    b.imagePixel(rows: 1, columns: 1, allocated: 8, stored: 8)
    b.element(0x7FE0, 0x0010, "OB", [42, 0])
    let file = try DICOMParser().parse(b.bytes, path: "nested.dcm")
    let outer = file.dataSet.items(DICOMTag(0x0008, 0x1140))
    try #require(outer.count == 1)
    #expect(outer[0].string(DICOMTag(0x0008, 0x1150)) == "1.2.3")
    let inner = outer[0].items(DICOMTag(0x0040, 0xA730))
    try #require(inner.count == 1)
    #expect(inner[0].string(DICOMTag(0x0008, 0x0100)) == "T1")
    let unknown = file.dataSet.items(DICOMTag(0x0009, 0x1010))
    try #require(unknown.count == 1)
    #expect(unknown[0].string(DICOMTag(0x0009, 0x1011)) == "ab")
    #expect(try DICOMImageReader.image(file).values == [42])
    #expect(file.warnings.isEmpty)
  }

  @Test func oddLengthWarnsOrRejects() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,0060) Modality with the odd length 1 and no padding.
    b.element(0x0008, 0x0060, "CS", Array("M".utf8))
    b.imagePixel(rows: 1, columns: 1, allocated: 8, stored: 8)
    b.element(0x7FE0, 0x0010, "OB", [5, 0])
    let file = try DICOMParser().parse(b.bytes, path: "odd.dcm")
    #expect(file.warnings.contains { $0.contains("odd value length 1") })
    #expect(file.dataSet.string(.modality) == "M")
    #expect(throws: ImagingError.self) {
      try DICOMParser(strict: true).parse(b.bytes, path: "odd.dcm")
    }
  }

  @Test func truncatedFileNamesOffset() throws {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 1, columns: 1, allocated: 8, stored: 8)
    // (0008,103E) Series Description claiming 100 bytes, with 4 present.
    b.element(0x0008, 0x103E, "LO", Array("abcd".utf8), length: 100)
    let start = b.bytes.count - 4
    let error = #expect(throws: ImagingError.self) {
      try DICOMParser().parse(b.bytes, path: "cut.dcm")
    }
    #expect(error == .truncated(
      path: "cut.dcm", offset: b.bytes.count,
      expected: "100 bytes of value for (0008,103E) (VR LO) from byte \(start), found 4"))
  }

  @Test func hugeImageIsRejectedBeforeAllocation() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 65535, columns: 65535, allocated: 16, stored: 16)
    // (0028,0008) Number of Frames 1000.
    b.text(0x0028, 0x0008, "IS", "1000")
    b.element(0x7FE0, 0x0010, "OW", [0, 0, 0, 0])
    let file = try DICOMParser().parse(b.bytes, path: "huge.dcm")
    let error = #expect(throws: ImagingError.self) {
      try DICOMImageReader.image(file)
    }
    guard case .truncated(let path, _, let expected) = error else {
      Issue.record("expected a truncation error, got \(String(describing: error))")
      return
    }
    #expect(path == "huge.dcm")
    #expect(expected.contains("1000 frame(s) of 65535 x 65535"))
  }

  @Test func encapsulatedRLEFragmentsAndPadding() throws {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.5")
    b.imagePixel(rows: 1, columns: 4, allocated: 16, stored: 16)
    // RLE frame: header with 2 segments at offsets 64 and 67.
    var header = DICOMBuilder()
    header.u32(2)
    header.u32(64)
    header.u32(67)
    for _ in 0..<13 { header.u32(0) }
    // High bytes: a run of four 0x01 (-3 repeats the next byte 4 times),
    // then literal low bytes 1, 2, 3, 4 (3 copies the next 4 bytes).
    let frame = header.bytes + [0xFD, 0x01, 0x80] + [0x03, 1, 2, 3, 4]
    // (7FE0,0010) encapsulated: empty offset table, frame in 2 fragments.
    b.element(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
    b.delimiter(0xE000, length: 0)
    b.delimiter(0xE000, length: 66)
    b.bytes += frame[0..<66]
    b.delimiter(0xE000, length: UInt32(frame.count - 66 + 1))
    b.bytes += frame[66...] + [0]
    b.delimiter(0xE0DD, length: 0)
    // Trailing zero padding after the last element.
    b.bytes += [0, 0, 0, 0]
    let file = try DICOMParser().parse(b.bytes, path: "rle.dcm")
    #expect(file.warnings.isEmpty)
    #expect(try DICOMImageReader.image(file).values == [257, 258, 259, 260])
  }

  @Test func hugeCompressedFrameIsRejectedBeforeDecoding() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.5")
    b.imagePixel(rows: 65535, columns: 65535, allocated: 16, stored: 16)
    b.element(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
    b.delimiter(0xE000, length: 0)
    // A 64-byte RLE header alone cannot hold 8 GiB of pixels.
    b.delimiter(0xE000, length: 64)
    b.bytes += [UInt8](repeating: 0, count: 64)
    b.delimiter(0xE0DD, length: 0)
    let file = try DICOMParser().parse(b.bytes, path: "bomb.dcm")
    let error = #expect(throws: ImagingError.self) {
      try DICOMImageReader.image(file)
    }
    #expect(error == .invalidField(
      path: "bomb.dcm", field: "image size (Rows x Columns)",
      value: "65535 x 65535",
      expected: "a frame that 64 compressed bytes can hold (at most 1 GiB decoded)"))
  }

  @Test func missingSequenceDelimiterWarns() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.5")
    b.imagePixel(rows: 1, columns: 2, allocated: 8, stored: 8)
    var header = DICOMBuilder()
    header.u32(1)
    header.u32(64)
    for _ in 0..<14 { header.u32(0) }
    b.element(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
    b.delimiter(0xE000, length: 0)
    // One fragment: header, then literal bytes 9 and 10; no delimiter.
    let frame = header.bytes + [0x01, 9, 10, 0]
    b.delimiter(0xE000, length: UInt32(frame.count))
    b.bytes += frame
    let file = try DICOMParser().parse(b.bytes, path: "nodelim.dcm")
    #expect(file.warnings == ["encapsulated pixel data have no sequence delimiter"])
    #expect(try DICOMImageReader.image(file).values == [9, 10])
    #expect(throws: ImagingError.self) {
      try DICOMParser(strict: true).parse(b.bytes, path: "nodelim.dcm")
    }
  }

  @Test func modalityLUTReplacesRescale() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 1, columns: 4, allocated: 8, stored: 8)
    // (0028,3000) Modality LUT Sequence, one item of defined length.
    var item = DICOMBuilder()
    // (0028,3002) LUT Descriptor: 3 entries, first mapped 1, 16 bits.
    item.element(0x0028, 0x3002, "US", item.words([3, 1, 16]))
    // (0028,3006) LUT Data: 100, 200, 300.
    item.element(0x0028, 0x3006, "OW", item.words([100, 200, 300]))
    var sequence = DICOMBuilder()
    sequence.delimiter(0xE000, length: UInt32(item.bytes.count))
    sequence.bytes += item.bytes
    b.element(0x0028, 0x3000, "SQ", sequence.bytes)
    // (0028,1053) Rescale Slope 5, which the LUT overrides.
    b.text(0x0028, 0x1053, "DS", "5")
    // Pixels 0 (below the table), 1, 2 and 9 (past it).
    b.element(0x7FE0, 0x0010, "OB", [0, 1, 2, 9])
    #expect(try Self.image(b.bytes).values == [100, 100, 200, 300])
  }

  @Test func voiLUTGivesWindow() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(rows: 1, columns: 1, allocated: 16, stored: 16)
    var item = DICOMBuilder()
    // (0028,3002) LUT Descriptor: 4 entries from 10, 8 bits.
    item.element(0x0028, 0x3002, "US", item.words([4, 10, 8]))
    // (0028,3003) LUT Explanation.
    item.text(0x0028, 0x3003, "LO", "SOFT")
    // (0028,3006) LUT Data.
    item.element(0x0028, 0x3006, "OW", item.words([0, 80, 160, 255]))
    var sequence = DICOMBuilder()
    sequence.delimiter(0xE000, length: UInt32(item.bytes.count))
    sequence.bytes += item.bytes
    // (0028,3010) VOI LUT Sequence.
    b.element(0x0028, 0x3010, "SQ", sequence.bytes)
    b.element(0x7FE0, 0x0010, "OW", b.words([11]))
    let image = try Self.image(b.bytes)
    let lut = try #require(image.voiLUT)
    #expect(lut.map(11) == 80)
    #expect(image.windows == [Window(center: 12, width: 4, name: "SOFT")])
  }

  @Test func enhancedFunctionalGroups() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0028,0008) Number of Frames 2.
    b.text(0x0028, 0x0008, "IS", "2")
    b.imagePixel(rows: 1, columns: 2, allocated: 16, stored: 16)
    func sequence(_ tag: (Int, Int), _ content: DICOMBuilder) -> DICOMBuilder {
      var item = DICOMBuilder()
      item.delimiter(0xE000, length: UInt32(content.bytes.count))
      item.bytes += content.bytes
      var element = DICOMBuilder()
      element.element(tag.0, tag.1, "SQ", item.bytes)
      return element
    }
    // Shared groups: Pixel Measures with Pixel Spacing 0.7 \ 0.9.
    var measures = DICOMBuilder()
    measures.text(0x0028, 0x0030, "DS", "0.7\\0.9")
    let shared = sequence((0x0028, 0x9110), measures)
    // (5200,9229) Shared Functional Groups Sequence.
    b.bytes += sequence((0x5200, 0x9229), shared).bytes
    // Per-frame groups: Pixel Value Transformation with slope 1 and 3,
    // and Frame VOI LUT windows 50/100 and 500/1000.
    var perFrame = DICOMBuilder()
    for (slope, center, width) in [("1", "50", "100"), ("3", "500", "1000")] {
      var transform = DICOMBuilder()
      transform.text(0x0028, 0x1052, "DS", "0")
      transform.text(0x0028, 0x1053, "DS", slope)
      var voi = DICOMBuilder()
      voi.text(0x0028, 0x1050, "DS", center)
      voi.text(0x0028, 0x1051, "DS", width)
      var content = sequence((0x0028, 0x9132), voi)
      content.bytes += sequence((0x0028, 0x9145), transform).bytes
      perFrame.delimiter(0xE000, length: UInt32(content.bytes.count))
      perFrame.bytes += content.bytes
    }
    // (5200,9230) Per-frame Functional Groups Sequence with two items.
    b.element(0x5200, 0x9230, "SQ", perFrame.bytes)
    // Two frames of two pixels.
    b.element(0x7FE0, 0x0010, "OW", b.words([1, 2, 10, 20]))
    let file = try DICOMParser().parse(b.bytes, path: "enhanced.dcm")
    #expect(DICOMImageReader.frameCount(file) == 2)
    let first = try DICOMImageReader.image(file, frame: 0)
    let second = try DICOMImageReader.image(file, frame: 1)
    #expect(first.values == [1, 2])
    #expect(second.values == [30, 60])
    #expect(first.spacing == PixelSpacing(row: 0.7, column: 0.9))
    #expect(second.spacing == PixelSpacing(row: 0.7, column: 0.9))
    #expect(first.windows.map(\.center) == [50])
    #expect(second.windows.map(\.center) == [500])
  }

  @Test func deflatedDataSet() throws {
    var body = DICOMBuilder()
    body.imagePixel(rows: 1, columns: 2, allocated: 8, stored: 8)
    body.element(0x7FE0, 0x0010, "OB", [3, 4])
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1.99")
    b.bytes += Zlib.deflate(body.bytes, format: .raw)
    #expect(try Self.image(b.bytes).values == [3, 4])
  }

  @Test(arguments: [
    ("ISO_IR 100", [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72] as [UInt8], "Müller"),
    ("ISO_IR 192", [0x4D, 0xC3, 0xBC, 0x6C, 0x6C, 0x65, 0x72], "Müller"),
    ("", [0x4D, 0x75, 0x6C, 0x6C, 0x65, 0x72], "Muller"),
  ]) func characterSets(set: String, raw: [UInt8], expected: String) throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    if !set.isEmpty {
      // (0008,0005) Specific Character Set.
      b.text(0x0008, 0x0005, "CS", set)
    }
    // (0010,0010) Patient's Name.
    b.element(0x0010, 0x0010, "PN", raw.count % 2 == 0 ? raw : raw + [0x20])
    let file = try DICOMParser().parse(b.bytes, path: "names.dcm")
    #expect(file.dataSet.string(.patientName) == expected)
  }
  @Test func bigEndianWithoutMeta() throws {
    var b = DICOMBuilder()
    b.bigEndian = true
    // (0008,0060) Modality, explicit VR big endian, no preamble or meta.
    b.text(0x0008, 0x0060, "CS", "MR")
    b.imagePixel(rows: 1, columns: 2, allocated: 16, stored: 16)
    b.element(0x7FE0, 0x0010, "OW", [0x01, 0x00, 0x00, 0x02])
    #expect(DICOMParser.looksLikeDICOM(b.bytes))
    let file = try DICOMParser().parse(b.bytes, path: "be.dcm")
    #expect(file.transferSyntax == .explicitBig)
    #expect(try DICOMImageReader.image(file).values == [256, 2])
  }

  @Test func uncompressedYBR422() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(
      rows: 1, columns: 2, allocated: 8, stored: 8,
      photometric: "YBR_FULL_422", samples: 3, planar: 0)
    // One pair of pixels: Y1 76, Y2 29, shared Cb 128, Cr 128 (gray).
    b.element(0x7FE0, 0x0010, "OB", [76, 29, 128, 128])
    let image = try Self.image(b.bytes)
    #expect(image.rgb == [76, 76, 76, 29, 29, 29])
  }

  @Test func noPixelDataIsNamed() throws {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,0016) SOP Class UID of a structured report.
    b.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.88.11")
    let file = try DICOMParser().parse(b.bytes, path: "sr.dcm")
    let error = #expect(throws: ImagingError.self) {
      try DICOMImageReader.image(file)
    }
    #expect(error?.description == "sr.dcm: invalid Pixel Data (7FE0,0010)"
      + " 'missing': expected an image; this DICOM file (SOP class"
      + " 1.2.840.10008.5.1.4.1.1.88.11) has no pixel data")
  }
}

/// Frames of encapsulated pixel data split without help from the file.
@Suite struct EncapsulatedFramesTests {
  @Test func framesFoundByCodestreamStart() {
    // Two frames in three fragments and no offset table: frame 1 is the
    // first fragment, frame 2 the next two (the second opens with FF D8).
    let buffer: [UInt8] = [0xFF, 0xD8, 1, 2, 0xFF, 0xD8, 3, 4, 5, 6]
    let fragments = [0..<0, 0..<4, 4..<8, 8..<10]
    #expect(EncapsulatedFrames.frame(0, of: fragments, frames: 2, buffer: buffer) == [0xFF, 0xD8, 1, 2])
    #expect(EncapsulatedFrames.frame(1, of: fragments, frames: 2, buffer: buffer) == [0xFF, 0xD8, 3, 4, 5, 6])
  }

  @Test func offsetTableSelectsFragments() {
    // Offset table [0, 12]: frame 2 starts 12 bytes after the first data
    // fragment's item tag (8 header bytes plus its 4 bytes).
    let buffer: [UInt8] = [0, 0, 0, 0, 12, 0, 0, 0, 9, 9, 9, 9, 7, 7]
    let fragments = [0..<8, 8..<12, 12..<14]
    #expect(EncapsulatedFrames.frame(1, of: fragments, frames: 2, buffer: buffer) == [7, 7])
    #expect(EncapsulatedFrames.frame(0, of: fragments, frames: 2, buffer: buffer) == [9, 9, 9, 9])
  }
}

/// Frame counts far beyond the pixel data: no overflow, no huge slice list.
@Suite struct FrameCountBoundTests {
  static func file(rows: Int, columns: Int, samples: Int, allocated: Int, frames: String)
    throws -> DICOMFile
  {
    var b = DICOMBuilder()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    b.imagePixel(
      rows: rows, columns: columns, allocated: allocated, stored: allocated,
      photometric: samples == 3 ? "RGB" : "MONOCHROME2", samples: samples,
      planar: samples == 3 ? 0 : nil)
    // (0028,0008) Number of Frames.
    b.text(0x0028, 0x0008, "IS", frames)
    b.element(0x7FE0, 0x0010, "OB", [1, 2, 3, 4])
    return try DICOMParser().parse(b.bytes, path: "frames.dcm")
  }

  /// 65535 x 65535 RGB at 32 bits is 51.5 GB a frame; times 10^12 frames
  /// the byte count does not fit in 64 bits.
  @Test func overflowingSizeIsTruncation() throws {
    let file = try Self.file(
      rows: 65535, columns: 65535, samples: 3, allocated: 32, frames: "999999999999")
    let error = #expect(throws: ImagingError.self) {
      try DICOMImageReader.image(file)
    }
    guard case .truncated(let path, _, let expected) = error else {
      Issue.record("expected a truncation error, got \(String(describing: error))")
      return
    }
    #expect(path == "frames.dcm")
    #expect(expected.contains("999999999999 x 51538034700 bytes"))
  }

  @Test func sliceCountIsBoundedByData() throws {
    let file = try Self.file(
      rows: 1, columns: 2, samples: 1, allocated: 8, frames: "2000000000")
    #expect(DICOMImageReader.frameCount(file) == 2_000_000_000)
    // Four bytes hold two frames of two pixels.
    #expect(DICOMImageReader.sliceCount(file) == 2)
    #expect(try DICOMImageReader.image(file, frame: 1).values == [3, 4])
    #expect(throws: ImagingError.self) { try DICOMImageReader.image(file, frame: 2) }
    // Reading every slice stops at the first missing frame without
    // reserving room for two billion images.
    let error = #expect(throws: ImagingError.self) { try DICOMImageReader.images(file) }
    guard case .truncated = error else {
      Issue.record("expected a truncation error, got \(String(describing: error))")
      return
    }
  }
}
