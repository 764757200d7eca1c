/// RLE lossless (1.2.840.10008.1.2.5), PS3.5 annex G: a 64-byte header of
/// sixteen little-endian 32-bit words (the segment count, then up to 15
/// segment offsets), then one PackBits-coded segment per byte plane, the
/// most significant byte of each sample first.
struct RLECodec: DICOMPixelCodec {
  var transferSyntaxUIDs: [String] { ["1.2.840.10008.1.2.5"] }

  func decode(_ frame: [UInt8], layout: PixelLayout, path: String) throws
    -> [UInt8]
  {
    let codec = "RLE lossless"
    let bytesPerSample = layout.bitsAllocated / 8
    let planes = bytesPerSample * layout.samplesPerPixel
    let pixels = layout.rows * layout.columns
    guard frame.count >= 64 else {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "frame of \(frame.count) bytes is shorter than the"
          + " 64-byte RLE header")
    }
    func word(_ index: Int) -> Int {
      let base = index * 4
      return Int(frame[base]) | Int(frame[base + 1]) << 8
        | Int(frame[base + 2]) << 16 | Int(frame[base + 3]) << 24
    }
    let segments = word(0)
    guard segments == planes else {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "header announces \(segments) segments, expected"
          + " \(planes) for \(layout.samplesPerPixel) sample(s) of"
          + " \(layout.bitsAllocated) bits")
    }
    var offsets = (1...segments).map(word)
    offsets.append(frame.count)
    for index in 0..<segments
    where offsets[index] < 64 || offsets[index] > offsets[index + 1] {
      throw ImagingError.codecFailed(
        path: path, codec: codec,
        message: "segment \(index + 1) offset \(offsets[index]) is outside"
          + " the frame of \(frame.count) bytes")
    }

    // Segment s contains byte (bytesPerSample - 1 - s % bytesPerSample) of
    // sample s / bytesPerSample. The output is little endian and
    // interleaved.
    var output = [UInt8](repeating: 0, count: layout.frameBytes)
    var plane = [UInt8](repeating: 0, count: pixels)
    for segment in 0..<segments {
      let produced = Self.unpackBits(
        frame, from: offsets[segment], to: offsets[segment + 1],
        into: &plane)
      if produced < pixels {
        throw ImagingError.codecFailed(
          path: path, codec: codec,
          message: "segment \(segment + 1) decodes to \(produced) bytes,"
            + " expected \(pixels)")
      }
      let sample = segment / bytesPerSample
      let byte = bytesPerSample - 1 - segment % bytesPerSample
      let stride = bytesPerSample * layout.samplesPerPixel
      let base = sample * bytesPerSample + byte
      output.withUnsafeMutableBufferPointer { out in
        for pixel in 0..<pixels { out[base + pixel * stride] = plane[pixel] }
      }
    }
    return output
  }

  /// Decodes PackBits from `frame[start..<end]` into `plane` and returns
  /// the number of bytes written, at most `plane.count`.
  static func unpackBits(
    _ frame: [UInt8], from start: Int, to end: Int, into plane: inout [UInt8]
  ) -> Int {
    var written = 0
    var index = start
    let capacity = plane.count
    while index < end && written < capacity {
      let header = Int(Int8(bitPattern: frame[index]))
      index += 1
      if header >= 0 {
        let count = min(header + 1, end - index, capacity - written)
        for offset in 0..<count { plane[written + offset] = frame[index + offset] }
        written += count
        index += header + 1
      } else if header != -128 {
        guard index < end else { break }
        let count = min(1 - header, capacity - written)
        let value = frame[index]
        for offset in 0..<count { plane[written + offset] = value }
        written += count
        index += 1
      }
    }
    return written
  }
}
