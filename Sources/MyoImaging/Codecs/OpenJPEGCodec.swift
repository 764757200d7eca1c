import COpenJPEG

/// JPEG 2000 lossless (1.2.840.10008.1.2.4.90) and lossy
/// (1.2.840.10008.1.2.4.91) through OpenJPEG.
struct OpenJPEGCodec: DICOMPixelCodec {
  var transferSyntaxUIDs: [String] {
    ["1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"]
  }

  func decode(_ frame: [UInt8], layout: PixelLayout, path: String) throws
    -> [UInt8]
  {
    let codec = "OpenJPEG"
    var message = [CChar](repeating: 0, count: 256)
    guard
      let image = myo_j2k_decode(
        frame, frame.count, UInt32(layout.columns), UInt32(layout.rows),
        &message)
    else {
      throw ImagingError.codecFailed(
        path: path, codec: codec, message: LibText.string(message))
    }
    defer { opj_image_destroy(image) }

    let components = Int(image.pointee.numcomps)
    let width = Int(image.pointee.x1 - image.pointee.x0)
    let height = Int(image.pointee.y1 - image.pointee.y0)
    try CodecOutput.check(
      width: width, height: height, components: components, layout: layout,
      path: path, codec: codec)

    // Each component is a plane of 32-bit samples; the output interleaves
    // them. Signed samples keep their two's complement bit pattern.
    let pixels = width * height
    var samples = [Int32](repeating: 0, count: pixels * components)
    for index in 0..<components {
      guard let component = myo_j2k_component(image, UInt32(index)),
        Int(component.pointee.w) == width, Int(component.pointee.h) == height,
        let data = component.pointee.data
      else {
        throw ImagingError.codecFailed(
          path: path, codec: codec,
          message: "component \(index + 1) is subsampled or empty, which"
            + " DICOM does not allow here")
      }
      for pixel in 0..<pixels {
        samples[pixel * components + index] = data[pixel]
      }
    }
    return CodecOutput.native(samples, layout: layout)
  }
}

/// Text from a C character buffer.
enum LibText {
  static func string(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
