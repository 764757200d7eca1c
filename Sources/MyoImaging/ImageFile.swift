import Foundation

/// The file formats myoscope reads, recognised by their first bytes.
public enum ImageFormat: Sendable, Equatable {
  /// DICOM Part 10, or a bare DICOM data set.
  case dicom
  /// NIfTI-1 or NIfTI-2, possibly gzip-compressed, or an Analyze-style
  /// .hdr header of a .hdr/.img pair.
  case nifti
  /// PNG.
  case png
  /// Something else; the text says what was found.
  case unknown(String)

  /// Recognises a format from the start of a file and its name.
  public static func sniff(_ bytes: [UInt8], path: String) -> ImageFormat {
    if bytes.count >= 8
      && bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    {
      return .png
    }
    if DICOMParser.looksLikeDICOM(bytes) { return .dicom }
    if Zlib.isGzip(bytes) {
      return path.contains(".nii") || path.contains(".hdr")
        ? .nifti : .unknown("gzip-compressed data that is not NIfTI")
    }
    if bytes.count >= 348 {
      let little = ByteReader(bytes: bytes, bigEndian: false).int32(0)
      let big = ByteReader(bytes: bytes, bigEndian: true).int32(0)
      if [348, 540].contains(little) || [348, 540].contains(big) {
        return .nifti
      }
    }
    return .unknown(describe(bytes))
  }

  private static func describe(_ bytes: [UInt8]) -> String {
    if bytes.isEmpty { return "an empty file" }
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "a JPEG file" }
    if bytes.starts(with: Array("GIF8".utf8)) { return "a GIF file" }
    if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00])
      || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
    {
      return "a TIFF file"
    }
    if bytes.starts(with: Array("%PDF".utf8)) { return "a PDF file" }
    let head = bytes.prefix(8).map { byte -> String in
      let text = String(byte, radix: 16)
      return text.count == 1 ? "0" + text : text
    }
    return "\(bytes.count) bytes starting with \(head.joined(separator: " "))"
  }
}

/// Reads any supported file into display images.
public enum ImageFile {
  /// Reads every slice of a file: the frames of a DICOM file (the tiles of
  /// a Siemens mosaic), the axial slices of a NIfTI volume or the one
  /// image of a PNG. In `strict` mode
  /// a DICOM problem that lenient reading reports as a warning (an odd
  /// value length, a missing delimiter) is an error.
  public static func readAll(path: String, strict: Bool = false) throws
    -> [ScalarImage]
  {
    let bytes = try FileBytes.read(path)
    switch ImageFormat.sniff(bytes, path: path) {
    case .png:
      return [try PNGImage.image(bytes, path: path)]
    case .dicom:
      let file = try DICOMParser(strict: strict).parse(bytes, path: path)
      return try DICOMImageReader.images(file)
    case .nifti:
      let volume = try NIfTIVolume.read(path: path)
      return (0..<volume.sliceCount).map { volume.slice($0) }
    case .unknown(let found):
      throw ImagingError.unsupported(path: path, found: found)
    }
  }
}

/// PNG files as display images.
public enum PNGImage {
  /// Decodes a PNG into an image whose values are the gray samples, or the
  /// luminance of colour samples.
  public static func image(_ bytes: [UInt8], path: String) throws
    -> ScalarImage
  {
    let pixels = try PNGCodec.decode(bytes, path: path)
    let count = pixels.width * pixels.height
    var values = [Float](repeating: 0, count: count)
    var rgb: [UInt8]?
    if pixels.channels == 1 {
      for i in 0..<count { values[i] = Float(pixels.samples[i]) }
    } else {
      let scale: Float = pixels.bitDepth == 16 ? 1.0 / 257 : 1
      var colour = [UInt8](repeating: 0, count: count * 3)
      for i in 0..<count {
        let r = Float(pixels.samples[3 * i]) * scale
        let g = Float(pixels.samples[3 * i + 1]) * scale
        let b = Float(pixels.samples[3 * i + 2]) * scale
        colour[3 * i] = UInt8(clamping: Int(r.rounded()))
        colour[3 * i + 1] = UInt8(clamping: Int(g.rounded()))
        colour[3 * i + 2] = UInt8(clamping: Int(b.rounded()))
        values[i] = 0.299 * r + 0.587 * g + 0.114 * b
      }
      rgb = colour
    }
    let maximum = pixels.bitDepth == 16 && pixels.channels == 1 ? 65535.0 : 255.0
    var windows = [
      Window(center: (maximum + 1) / 2, width: maximum + 1, name: "full range")
    ]
    if pixels.channels == 1 && pixels.bitDepth == 16 {
      // 16-bit gray PNGs usually hold 12-bit scanner values, so the first
      // window spreads the values present instead of the full 16-bit range.
      windows.insert(
        Window.percentile(of: values, low: 0.005, high: 0.995), at: 0)
    }
    return ScalarImage(
      width: pixels.width, height: pixels.height, values: values, rgb: rgb,
      windows: windows, photometric: rgb == nil ? .monochrome2 : .rgb,
      metadata: [
        ("Format", "PNG"),
        ("Size", "\(pixels.width) x \(pixels.height)"),
        ("Samples", "\(pixels.channels) x \(pixels.bitDepth) bits"),
      ])
  }
}
