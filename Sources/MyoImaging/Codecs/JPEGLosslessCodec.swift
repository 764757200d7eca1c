/// JPEG lossless, process 14 (1.2.840.10008.1.2.4.57) and its first-order
/// prediction form (1.2.840.10008.1.2.4.70), decoded by
/// `JPEGLosslessDecoder` because libjpeg-turbo 2.1 decodes neither.
struct JPEGLosslessCodec: DICOMPixelCodec {
  var transferSyntaxUIDs: [String] {
    ["1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"]
  }

  func decode(_ frame: [UInt8], layout: PixelLayout, path: String) throws
    -> [UInt8]
  {
    let codec = "JPEG lossless decoder"
    let image: JPEGLosslessDecoder.Image
    do {
      image = try JPEGLosslessDecoder.decode(
        frame, expectedRows: layout.rows,
        maximumSamples: layout.rows * layout.columns * layout.samplesPerPixel)
    } catch {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "\(error.message) at byte \(error.offset) of the frame")
    }
    try CodecOutput.check(
      width: image.width, height: image.height,
      components: image.components, layout: layout, path: path,
      codec: codec)
    return CodecOutput.native(image.samples, layout: layout)
  }
}
