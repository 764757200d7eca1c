import CCharLS

/// JPEG-LS lossless (1.2.840.10008.1.2.4.80) and near-lossless
/// (1.2.840.10008.1.2.4.81) through CharLS.
struct CharLSCodec: DICOMPixelCodec {
  var transferSyntaxUIDs: [String] {
    ["1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"]
  }

  func decode(_ frame: [UInt8], layout: PixelLayout, path: String) throws
    -> [UInt8]
  {
    let codec = "CharLS"
    guard !frame.isEmpty else {
      throw ImagingError.codecFailed(
        path: path, codec: codec, message: "the frame has no bytes")
    }
    guard let decoder = charls_jpegls_decoder_create() else {
      throw ImagingError.codecFailed(
        path: path, codec: codec, message: "cannot create the decoder")
    }
    defer { charls_jpegls_decoder_destroy(decoder) }
    func check(_ code: charls_jpegls_errc) throws {
      guard code.rawValue != 0 else { return }
      let text = charls_get_error_message(code).map { String(cString: $0) }
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: text ?? "error \(code.rawValue)")
    }

    try frame.withUnsafeBytes { source in
      try check(
        charls_jpegls_decoder_set_source_buffer(
          decoder, source.baseAddress!, source.count))
    }
    try check(charls_jpegls_decoder_read_header(decoder))
    var info = charls_frame_info()
    try check(charls_jpegls_decoder_get_frame_info(decoder, &info))
    try CodecOutput.check(
      width: Int(info.width), height: Int(info.height),
      components: Int(info.component_count), layout: layout, path: path,
      codec: codec)
    var mode = CHARLS_INTERLEAVE_MODE_NONE
    try check(charls_jpegls_decoder_get_interleave_mode(decoder, &mode))

    // CharLS writes samples of up to 8 bits as bytes, else as 16-bit
    // native words.
    let bytesPerSample = info.bits_per_sample <= 8 ? 1 : 2
    var size = 0
    try check(charls_jpegls_decoder_get_destination_size(decoder, 0, &size))
    let expected =
      Int(info.width) * Int(info.height) * Int(info.component_count)
      * bytesPerSample
    guard size == expected else {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "decoder needs \(size) bytes, expected \(expected)")
    }
    var decoded = [UInt8](repeating: 0, count: size)
    try decoded.withUnsafeMutableBytes { output in
      try check(
        charls_jpegls_decoder_decode_to_buffer(
          decoder, output.baseAddress!, output.count, 0))
    }

    // Without interleaving, components come one plane after another.
    let planar = info.component_count > 1 && mode == CHARLS_INTERLEAVE_MODE_NONE
    let count = expected / bytesPerSample
    let pixels = Int(info.width) * Int(info.height)
    let components = Int(info.component_count)
    if bytesPerSample == 1 {
      let samples = planar ? Self.interleave(decoded, pixels, components) : decoded
      return layout.bitsAllocated == 8
        ? samples : CodecOutput.native(samples, layout: layout)
    }
    var words = [UInt16](repeating: 0, count: count)
    _ = words.withUnsafeMutableBytes { decoded.copyBytes(to: $0) }
    if planar { words = Self.interleave(words, pixels, components) }
    return CodecOutput.native(words, layout: layout)
  }

  static func interleave<T>(_ planes: [T], _ pixels: Int, _ components: Int)
    -> [T]
  {
    var result = planes
    for component in 0..<components {
      for pixel in 0..<pixels {
        result[pixel * components + component] =
          planes[component * pixels + pixel]
      }
    }
    return result
  }
}
