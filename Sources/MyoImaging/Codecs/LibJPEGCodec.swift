import CJPEG

/// JPEG baseline (1.2.840.10008.1.2.4.50) and extended
/// (1.2.840.10008.1.2.4.51) through libjpeg-turbo.
///
/// libjpeg-turbo before 3.0 fixes the sample precision when it is built.
/// Debian 12's libjpeg62-turbo (2.1.5) is built for 8 bits, so
/// `jpeg_read_header` stops at the SOF marker of a 12-bit process 4 stream
/// with "Unsupported JPEG data precision 12". Such frames are reported
/// with that reason and what to do.
struct LibJPEGCodec: DICOMPixelCodec {
  var transferSyntaxUIDs: [String] {
    ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"]
  }

  /// The reason a 12-bit frame cannot be decoded, and what to do.
  static let twelveBitAdvice =
    "; this libjpeg-turbo build decodes 8-bit samples only (12-bit JPEG"
    + " extended, process 4, needs libjpeg-turbo 3 or a 12-bit build);"
    + " decompress the file first, for example with 'dcmdjpeg IN OUT'"
    + " (DCMTK) or 'gdcmconv --raw IN OUT' (GDCM)"

  func decode(_ frame: [UInt8], layout: PixelLayout, path: String) throws
    -> [UInt8]
  {
    let codec = "libjpeg-turbo"
    var width: Int32 = 0
    var height: Int32 = 0
    var components: Int32 = 0
    var precision: Int32 = 0
    var message = [CChar](repeating: 0, count: 256)
    let rgbStream: Int32 = layout.photometric == "RGB" ? 1 : 0
    let headerStatus = myo_jpeg_decode(
      frame, UInt(frame.count), nil, 0, rgbStream, &width, &height, &components,
      &precision, &message, Int32(message.count))
    guard headerStatus == 0 else {
      var text = LibText.string(message)
      if text.contains("precision") {
        text += Self.twelveBitAdvice
      }
      throw ImagingError.codecFailed(path: path, codec: codec, message: text)
    }
    try CodecOutput.check(
      width: Int(width), height: Int(height), components: Int(components),
      layout: layout, path: path, codec: codec)
    guard precision == 8 else {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "\(precision)-bit JPEG" + Self.twelveBitAdvice)
    }

    let size = Int(width) * Int(height) * Int(components)
    var samples = [UInt8](repeating: 0, count: size)
    let status = samples.withUnsafeMutableBufferPointer { output in
      myo_jpeg_decode(
        frame, UInt(frame.count), output.baseAddress, UInt(size), rgbStream, &width,
        &height, &components, &precision, &message, Int32(message.count))
    }
    guard status == 0 else {
      throw ImagingError.codecFailed(
        path: path, codec: codec, message: LibText.string(message))
    }
    return layout.bitsAllocated == 8
      ? samples : CodecOutput.native(samples, layout: layout)
  }
}
