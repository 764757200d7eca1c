import Testing

@testable import MyoImaging

/// Writes PNG chunks by hand (ISO/IEC 15948), for colour types and
/// interlacing that the encoder does not produce.
enum PNGBuilder {
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func be32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
  }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return be32(UInt32(data.count)) + body + be32(crc32(body))
  }

  /// A whole file: signature, IHDR, optional PLTE, IDAT of the filtered
  /// scanlines, IEND.
  static func file(
    width: Int, height: Int, bitDepth: UInt8, colourType: UInt8,
    interlaced: Bool = false, palette: [UInt8]? = nil, scanlines: [UInt8]
  ) -> [UInt8] {
    let header =
      be32(UInt32(width)) + be32(UInt32(height))
      + [bitDepth, colourType, 0, 0, interlaced ? 1 : 0]
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    bytes += chunk("IHDR", header)
    if let palette { bytes += chunk("PLTE", palette) }
    bytes += chunk("IDAT", Zlib.deflate(scanlines, format: .zlib))
    bytes += chunk("IEND", [])
    return bytes
  }
}

@Suite struct PNGFixtureTests {
  @Test func gray16RoundTrip() throws {
    let pixels = PNGPixels(
      width: 2, height: 1, channels: 1, bitDepth: 16, samples: [0, 4095])
    let image = try PNGImage.image(try PNGCodec.encode(pixels), path: "g16.png")
    #expect(image.values == [0, 4095])
    #expect(image.rgb == nil)
  }

  @Test func rgb8RoundTrip() throws {
    let bytes = try PNGCodec.encodeRGB([255, 0, 0, 0, 0, 255], width: 2, height: 1)
    let image = try PNGImage.image(bytes, path: "rgb.png")
    #expect(image.rgb == [255, 0, 0, 0, 0, 255])
    #expect(image.photometric == .rgb)
  }

  @Test func paletteExpandsToRGB() throws {
    // Palette entries 0 = (10, 20, 30), 1 = (200, 100, 50); one scanline
    // with filter 0 and indices 1, 0.
    let bytes = PNGBuilder.file(
      width: 2, height: 1, bitDepth: 8, colourType: 3,
      palette: [10, 20, 30, 200, 100, 50], scanlines: [0, 1, 0])
    let image = try PNGImage.image(bytes, path: "palette.png")
    #expect(image.rgb == [200, 100, 50, 10, 20, 30])
  }

  @Test func grayAlphaDropsAlpha() throws {
    // Gray 8 with alpha: (gray 90, alpha 255) and (gray 30, alpha 255).
    let bytes = PNGBuilder.file(
      width: 2, height: 1, bitDepth: 8, colourType: 4, scanlines: [0, 90, 255, 30, 255])
    #expect(try PNGImage.image(bytes, path: "ga.png").values == [90, 30])
  }

  @Test func lowBitDepthGray() throws {
    // Gray 4-bit: one byte 0x3C holds samples 3 and 12.
    let bytes = PNGBuilder.file(
      width: 2, height: 1, bitDepth: 4, colourType: 0, scanlines: [0, 0x3C])
    let values = try PNGImage.image(bytes, path: "g4.png").values
    // libpng scales 4-bit samples to 8 bits: 3 * 17 and 12 * 17.
    #expect(values == [51, 204])
  }

  @Test func adam7Interlaced() throws {
    // 2 x 2 gray: pass 1 holds (0,0), pass 6 (1,0), pass 7 the second row.
    let bytes = PNGBuilder.file(
      width: 2, height: 2, bitDepth: 8, colourType: 0, interlaced: true,
      scanlines: [0, 11, 0, 22, 0, 33, 44])
    #expect(try PNGImage.image(bytes, path: "adam7.png").values == [11, 22, 33, 44])
  }

  @Test func corruptPNGIsAnError() throws {
    var bytes = PNGBuilder.file(
      width: 2, height: 1, bitDepth: 8, colourType: 0, scanlines: [0, 1, 2])
    bytes[bytes.count - 20] ^= 0xFF
    #expect(throws: ImagingError.self) {
      try PNGImage.image(bytes, path: "bad.png")
    }
  }

  /// One case per colour type and bit depth that ISO/IEC 15948 allows and
  /// the tests above do not cover: two pixels, one scanline, filter 0.
  struct DepthCase: Sendable, CustomTestStringConvertible {
    var colourType: UInt8
    var bitDepth: UInt8
    var scanline: [UInt8]
    /// Gray values, or nil for colour files.
    var values: [Float]?
    /// RGB samples, or nil for gray files.
    var rgb: [UInt8]?
    var testDescription: String { "colour type \(colourType), \(bitDepth) bits" }
  }

  static let palette: [UInt8] = [10, 20, 30, 200, 100, 50]

  static let depthCases: [DepthCase] = [
    // Gray 1 and 2 bits: libpng scales the samples to 8 bits.
    DepthCase(colourType: 0, bitDepth: 1, scanline: [0b1000_0000], values: [255, 0]),
    DepthCase(colourType: 0, bitDepth: 2, scanline: [0b1101_0000], values: [255, 85]),
    // Gray 16 bits without gAMA: the samples themselves.
    DepthCase(colourType: 0, bitDepth: 16, scanline: [0x12, 0x34, 0xFF, 0xFF], values: [4660, 65535]),
    // RGB 16 bits: shown as 8-bit colour, 0x8080 / 257 = 128.
    DepthCase(
      colourType: 2, bitDepth: 16,
      scanline: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x80, 0x80, 0, 0],
      rgb: [255, 0, 0, 0, 128, 0]),
    // Palette 1, 2 and 4 bits: indices 1 then 0.
    DepthCase(colourType: 3, bitDepth: 1, scanline: [0b1000_0000], rgb: [200, 100, 50, 10, 20, 30]),
    DepthCase(colourType: 3, bitDepth: 2, scanline: [0b0100_0000], rgb: [200, 100, 50, 10, 20, 30]),
    DepthCase(colourType: 3, bitDepth: 4, scanline: [0x10], rgb: [200, 100, 50, 10, 20, 30]),
    // Gray with alpha, 16 bits, opaque.
    DepthCase(
      colourType: 4, bitDepth: 16, scanline: [0x10, 0x00, 0xFF, 0xFF, 0x20, 0x00, 0xFF, 0xFF],
      values: [4096, 8192]),
    // RGBA 8 and 16 bits, opaque: the alpha is dropped.
    DepthCase(
      colourType: 6, bitDepth: 8, scanline: [255, 0, 0, 255, 0, 0, 255, 255],
      rgb: [255, 0, 0, 0, 0, 255]),
    DepthCase(
      colourType: 6, bitDepth: 16,
      scanline: [0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF],
      rgb: [255, 0, 0, 0, 0, 255]),
  ]

  @Test(arguments: depthCases) func everyColourTypeAndDepth(_ item: DepthCase) throws {
    let bytes = PNGBuilder.file(
      width: 2, height: 1, bitDepth: item.bitDepth, colourType: item.colourType,
      palette: item.colourType == 3 ? Self.palette : nil, scanlines: [0] + item.scanline)
    let image = try PNGImage.image(bytes, path: "depth.png")
    #expect(image.width == 2)
    if let values = item.values {
      #expect(image.values == values)
      #expect(image.rgb == nil)
    }
    if let rgb = item.rgb {
      #expect(image.rgb == rgb)
      #expect(image.photometric == .rgb)
    }
  }

  /// A transparent pixel is composited onto black, so a cut-out
  /// background shows as background.
  @Test func transparentPixelIsBlack() throws {
    let bytes = PNGBuilder.file(
      width: 2, height: 1, bitDepth: 8, colourType: 4, scanlines: [0, 90, 0, 30, 255])
    #expect(try PNGImage.image(bytes, path: "ga0.png").values == [0, 30])
  }
}
