import Foundation
import Testing

@testable import MyoImaging

/// Writes small hand-built files as the seed corpus of the fuzz targets
/// when MYOSCOPE_FUZZ_SEEDS names a folder (scripts/fuzz sets it); each
/// seed must also read without an error.
@Suite struct FuzzSeedTests {
  static func dicomSeeds() -> [String: [UInt8]] {
    var seeds: [String: [UInt8]] = [:]
    for (name, syntax, explicit, big) in [
      ("explicit-le", "1.2.840.10008.1.2.1", true, false),
      ("implicit-le", "1.2.840.10008.1.2", false, false),
      ("explicit-be", "1.2.840.10008.1.2.2", true, true),
    ] {
      var b = DICOMBuilder()
      b.preamble()
      b.meta(transferSyntax: syntax)
      b.explicit = explicit
      b.bigEndian = big
      // (0008,0005) Specific Character Set, (0010,0010) Patient's Name.
      b.text(0x0008, 0x0005, "CS", "ISO_IR 100")
      b.text(0x0010, 0x0010, "PN", "Fuzz^Seed")
      // (0020,0037) Image Orientation (Patient), axial.
      b.text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
      b.imagePixel(rows: 4, columns: 4, allocated: 16, stored: 12, signed: true)
      b.text(0x0028, 0x1050, "DS", "100\\200")
      b.text(0x0028, 0x1051, "DS", "400\\800")
      b.element(0x7FE0, 0x0010, "OW", b.words(Array(0..<16).map { $0 * 300 }))
      seeds[name] = b.bytes
    }

    // RLE with an empty offset table and two fragments.
    var rle = DICOMBuilder()
    rle.preamble()
    rle.meta(transferSyntax: "1.2.840.10008.1.2.5")
    rle.imagePixel(rows: 1, columns: 4, allocated: 16, stored: 16)
    var header = DICOMBuilder()
    for word: UInt32 in [2, 64, 67] + [UInt32](repeating: 0, count: 13) {
      header.u32(word)
    }
    let frame = header.bytes + [0xFD, 0x01, 0x80, 0x03, 1, 2, 3, 4]
    rle.element(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
    rle.delimiter(0xE000, length: 0)
    rle.delimiter(0xE000, length: UInt32(frame.count))
    rle.bytes += frame
    rle.delimiter(0xE0DD, length: 0)
    seeds["rle"] = rle.bytes

    // Nested sequences of undefined length and a deflated data set.
    var nested = DICOMBuilder()
    nested.meta(transferSyntax: "1.2.840.10008.1.2.1")
    nested.element(0x0008, 0x1140, "SQ", [], length: 0xFFFF_FFFF)
    nested.delimiter(0xE000, length: 0xFFFF_FFFF)
    nested.text(0x0008, 0x1150, "UI", "1.2.3")
    nested.delimiter(0xE00D, length: 0)
    nested.delimiter(0xE0DD, length: 0)
    nested.imagePixel(rows: 2, columns: 2, allocated: 8, stored: 8, photometric: "MONOCHROME1")
    nested.element(0x7FE0, 0x0010, "OB", [1, 2, 3, 4])
    seeds["nested"] = nested.bytes
    var body = DICOMBuilder()
    body.imagePixel(
      rows: 1, columns: 2, allocated: 8, stored: 8, photometric: "YBR_FULL",
      samples: 3, planar: 1)
    body.element(0x7FE0, 0x0010, "OB", [1, 2, 3, 4, 5, 6])
    var deflated = DICOMBuilder()
    deflated.preamble()
    deflated.meta(transferSyntax: "1.2.840.10008.1.2.1.99")
    deflated.bytes += Zlib.deflate(body.bytes, format: .raw)
    seeds["deflated"] = deflated.bytes
    return seeds
  }

  static func niftiSeeds() -> [String: [UInt8]] {
    var seeds: [String: [UInt8]] = [:]
    for (name, version, big) in [("v1-le", 1, false), ("v1-be", 1, true), ("v2-le", 2, false)] {
      var b = NIfTIBuilder(version: version, bigEndian: big)
      b.shape([2, 2, 2, 2], dataType: 4, bitpix: 16)
      b.voxel([0.8, 0.8, 5])
      b.scale(slope: 2, intercept: 1)
      b.qform(code: 1, quaternion: [0, 0, 1], offset: [1, 2, 3])
      b.int16Data(Array(0..<16))
      seeds[name] = b.bytes
    }
    var sform = NIfTIBuilder()
    sform.shape([1, 1, 1], dataType: 128, bitpix: 24)
    sform.sform(code: 1, rows: [-1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0])
    sform.bytes += [1, 2, 3]
    seeds["rgb-sform"] = sform.bytes
    seeds["gzip"] = Zlib.deflate(seeds["v1-le"]!, format: .gzip)
    return seeds
  }

  static func pngSeeds() throws -> [String: [UInt8]] {
    [
      "gray16": try PNGCodec.encode(
        PNGPixels(width: 2, height: 2, channels: 1, bitDepth: 16, samples: [0, 1, 4095, 65535])),
      "rgb": try PNGCodec.encodeRGB([1, 2, 3, 4, 5, 6], width: 2, height: 1),
      "palette": PNGBuilder.file(
        width: 2, height: 1, bitDepth: 8, colourType: 3,
        palette: [10, 20, 30, 200, 100, 50], scanlines: [0, 1, 0]),
      "adam7": PNGBuilder.file(
        width: 2, height: 2, bitDepth: 8, colourType: 0, interlaced: true,
        scanlines: [0, 11, 0, 22, 0, 33, 44]),
    ]
  }

  @Test func seedsReadAndAreWritten() throws {
    let groups: [(String, [String: [UInt8]])] = [
      ("dicom", Self.dicomSeeds()), ("nifti", Self.niftiSeeds()), ("png", try Self.pngSeeds()),
    ]
    for (name, bytes) in groups[0].1 {
      let file = try DICOMParser(strict: true).parse(bytes, path: name)
      #expect(throws: Never.self, "\(name)") { try DICOMImageReader.image(file) }
    }
    for (name, bytes) in groups[1].1 {
      #expect(throws: Never.self, "\(name)") {
        try NIfTIVolume.read(bytes: bytes, path: name)
      }
    }
    for (name, bytes) in groups[2].1 {
      #expect(throws: Never.self, "\(name)") { try PNGImage.image(bytes, path: name) }
    }
    guard let folder = ProcessInfo.processInfo.environment["MYOSCOPE_FUZZ_SEEDS"],
      !folder.isEmpty
    else { return }
    for (kind, seeds) in groups {
      let directory = URL(fileURLWithPath: folder).appendingPathComponent(kind)
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true)
      for (name, bytes) in seeds {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
      }
    }
  }
}
