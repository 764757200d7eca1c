import CPNG
import Foundation

/// Pixels decoded from a PNG file, before they become a ScalarImage.
public struct PNGPixels: Sendable, Equatable {
  /// Number of columns.
  public var width: Int
  /// Number of rows.
  public var height: Int
  /// Samples per pixel: 1 for gray, 3 for RGB.
  public var channels: Int
  /// 8 or 16; files of 1, 2 or 4 bits are expanded to 8.
  public var bitDepth: Int
  /// Samples, row-major, `[height, width, channels]`.
  public var samples: [UInt16]

  /// Creates pixels; `samples.count` must be `width * height * channels`.
  public init(
    width: Int, height: Int, channels: Int, bitDepth: Int,
    samples: [UInt16]
  ) {
    self.width = width
    self.height = height
    self.channels = channels
    self.bitDepth = bitDepth
    self.samples = samples
  }
}

/// Reads and writes PNG through libpng's simplified API, which handles
/// every colour type, bit depth and interlacing, and reports errors without
/// `longjmp` reaching Swift code.
public enum PNGCodec {
  /// Decodes PNG bytes. Gray files stay gray and keep 16-bit samples; colour
  /// and palette files become RGB; alpha is dropped.
  public static func decode(_ bytes: [UInt8], path: String) throws
    -> PNGPixels
  {
    let damaged =
      "; the file is not a valid PNG (damaged, cut short or not a PNG);"
      + " copy it again from its source or export it again"
    // libpng keeps a pointer to the input from begin_read to
    // finish_read, so both run while the buffer is pinned.
    return try bytes.withUnsafeBytes { buffer in
      var image = png_image()
      image.version = UInt32(PNG_IMAGE_VERSION)
      let began = png_image_begin_read_from_memory(
        &image, buffer.baseAddress, buffer.count)
      guard began != 0 else {
        throw ImagingError.codecFailed(
          path: path, codec: "libpng",
          message: message(of: &image) + damaged)
      }
      defer { png_image_free(&image) }

      let width = Int(image.width)
      let height = Int(image.height)
      // Refuse sizes whose pixels cannot fit in memory before allocating:
      // PNG's deflate stream compresses at most about 1032 to 1.
      let limit = max(buffer.count, 1) * 1100
      guard width > 0, height > 0, width * height <= limit else {
        throw ImagingError.invalidField(
          path: path, field: "IHDR size", value: "\(width) x \(height)",
          expected: "a size that fits the \(buffer.count)-byte file")
      }
      let colour = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
      let sixteen = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
      let channels = colour ? 3 : 1
      // 16-bit files are read as linear 16-bit samples, which libpng leaves
      // unchanged unless the file declares another gamma.
      image.format =
        (colour ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0)
        | (sixteen ? UInt32(PNG_FORMAT_FLAG_LINEAR) : 0)
      let count = width * height * channels
      var samples = [UInt16](repeating: 0, count: count)
      var finished: Int32 = 0
      if sixteen {
        finished = samples.withUnsafeMutableBytes { output in
          png_image_finish_read(&image, nil, output.baseAddress, 0, nil)
        }
      } else {
        var narrow = [UInt8](repeating: 0, count: count)
        finished = narrow.withUnsafeMutableBytes { output in
          png_image_finish_read(&image, nil, output.baseAddress, 0, nil)
        }
        for index in 0..<count { samples[index] = UInt16(narrow[index]) }
      }
      guard finished != 0 else {
        throw ImagingError.codecFailed(
          path: path, codec: "libpng",
          message: message(of: &image) + damaged)
      }
      return PNGPixels(
        width: width, height: height, channels: channels,
        bitDepth: sixteen ? 16 : 8, samples: samples)
    }
  }

  /// Encodes gray or RGB samples as PNG bytes. With `bitDepth` 16 the file
  /// is 16-bit and records a linear gamma, so readers get the samples back
  /// unchanged.
  public static func encode(_ pixels: PNGPixels) throws -> [UInt8] {
    precondition(
      pixels.samples.count == pixels.width * pixels.height * pixels.channels,
      "PNGCodec.encode: sample count does not match the size")
    precondition(pixels.channels == 1 || pixels.channels == 3)
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(pixels.width)
    image.height = UInt32(pixels.height)
    let sixteen = pixels.bitDepth == 16
    image.format =
      (pixels.channels == 3 ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0)
      | (sixteen ? UInt32(PNG_FORMAT_FLAG_LINEAR) : 0)

    var size: Int = 0
    let measured: Int32
    if sixteen {
      measured = pixels.samples.withUnsafeBytes { buffer in
        png_image_write_to_memory(
          &image, nil, &size, 0, buffer.baseAddress, 0, nil)
      }
    } else {
      let narrow = pixels.samples.map { UInt8(clamping: $0) }
      measured = narrow.withUnsafeBytes { buffer in
        png_image_write_to_memory(
          &image, nil, &size, 0, buffer.baseAddress, 0, nil)
      }
    }
    guard measured != 0 else {
      throw ImagingError.codecFailed(
        path: "(memory)", codec: "libpng", message: message(of: &image))
    }
    var output = [UInt8](repeating: 0, count: size)
    let written: Int32 = output.withUnsafeMutableBytes { target in
      if sixteen {
        return pixels.samples.withUnsafeBytes { buffer in
          png_image_write_to_memory(
            &image, target.baseAddress, &size, 0, buffer.baseAddress, 0,
            nil)
        }
      }
      let narrow = pixels.samples.map { UInt8(clamping: $0) }
      return narrow.withUnsafeBytes { buffer in
        png_image_write_to_memory(
          &image, target.baseAddress, &size, 0, buffer.baseAddress, 0, nil)
      }
    }
    guard written != 0 else {
      throw ImagingError.codecFailed(
        path: "(memory)", codec: "libpng", message: message(of: &image))
    }
    return Array(output.prefix(size))
  }

  /// Encodes 8-bit RGB samples `[height, width, 3]` as PNG bytes.
  public static func encodeRGB(
    _ rgb: [UInt8], width: Int, height: Int
  ) throws -> [UInt8] {
    try encode(
      PNGPixels(
        width: width, height: height, channels: 3, bitDepth: 8,
        samples: rgb.map(UInt16.init)))
  }

  private static func message(of image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }
}
