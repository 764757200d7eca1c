import CJPEG

/// JPEG baseline (1.2.840.10008.1.2.4.50) and extended
/// (1.2.840.10008.1.2.4.51) through libjpeg-turbo. Debian's build decodes
/// 8-bit samples only, so 12-bit extended images are reported as such.
struct LibJPEGCodec: DICOMPixelCodec {
  var transferSyntaxUIDs: [String] {
    ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"]
  }

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
        text += "; this libjpeg-turbo build decodes 8-bit samples only"
      }
      throw ImagingError.codecFailed(path: path, codec: codec, message: text)
    }
    try CodecOutput.check(
      width: Int(width), height: Int(height), components: Int(components),
      layout: layout, path: path, codec: codec)
    guard precision == 8 else {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "\(precision)-bit JPEG; this libjpeg-turbo build decodes"
          + " 8-bit samples only")
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
