/// Checks decoded frames against the header and packs them into native
/// little-endian bytes, the form every codec returns.
enum CodecOutput {
  /// Throws when the codestream's size or component count differs from
  /// the DICOM header's.
  static func check(
    width: Int, height: Int, components: Int, layout: PixelLayout,
    path: String, codec: String
  ) throws {
    guard width == layout.columns, height == layout.rows,
      components == layout.samplesPerPixel
    else {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "codestream is \(width) x \(height) with \(components)"
          + " component(s), but the header says \(layout.columns) x"
          + " \(layout.rows) with \(layout.samplesPerPixel)")
    }
  }

  /// Packs interleaved samples into 1, 2 or 4 little-endian bytes each.
  static func native<T: FixedWidthInteger>(
    _ samples: [T], layout: PixelLayout
  ) -> [UInt8] {
    let size = layout.bitsAllocated / 8
    var output = [UInt8](repeating: 0, count: samples.count * size)
    output.withUnsafeMutableBufferPointer { out in
      for (index, sample) in samples.enumerated() {
        let value = UInt32(truncatingIfNeeded: sample)
        for byte in 0..<size {
          out[index * size + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte))
        }
      }
    }
    return output
  }
}
