import Testing

@testable import MyoImaging

/// A minimal lossless JPEG encoder (ITU-T T.81 annex H) for tests: one
/// Huffman table with the 17 difference categories as 5-bit codes, any
/// predictor, optional restart intervals, interleaved components.
struct LosslessJPEGWriter {
  var bytes: [UInt8] = []
  private var accumulator: UInt32 = 0
  private var count = 0

  private mutating func put(_ value: Int, bits: Int) {
    for shift in stride(from: bits - 1, through: 0, by: -1) {
      accumulator = accumulator << 1 | UInt32((value >> shift) & 1)
      count += 1
      if count == 8 {
        let byte = UInt8(accumulator & 0xFF)
        bytes.append(byte)
        if byte == 0xFF { bytes.append(0) }  // byte stuffing
        accumulator = 0
        count = 0
      }
    }
  }

  /// Pads the last byte with 1 bits (T.81 section F.1.2.3).
  private mutating func flush() {
    while count != 0 { put(1, bits: 1) }
  }

  private mutating func segment(_ marker: UInt8, _ body: [UInt8]) {
    let length = body.count + 2
    bytes += [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + body
  }

  /// Encodes `samples` `[height, width, components]` of `precision` bits.
  static func encode(
    _ samples: [Int], width: Int, height: Int, components: Int,
    precision: Int, predictor: Int, restartInterval: Int = 0
  ) -> [UInt8] {
    var w = LosslessJPEGWriter()
    w.bytes = [0xFF, 0xD8]
    // SOF3: precision, height, width, then id, 1x1 sampling, table 0.
    var frame: [UInt8] = [
      UInt8(precision), UInt8(height >> 8), UInt8(height & 0xFF),
      UInt8(width >> 8), UInt8(width & 0xFF), UInt8(components),
    ]
    for id in 1...components { frame += [UInt8(id), 0x11, 0] }
    w.segment(0xC3, frame)
    // DHT class 0, table 0: 17 codes of length 5 for symbols 0...16.
    var counts = [UInt8](repeating: 0, count: 16)
    counts[4] = 17
    w.segment(0xC4, [0x00] + counts + (0...16).map(UInt8.init))
    if restartInterval > 0 {
      w.segment(0xDD, [UInt8(restartInterval >> 8), UInt8(restartInterval & 0xFF)])
    }
    // SOS: components with table 0, predictor, Se 0, Ah/Al 0.
    var scan: [UInt8] = [UInt8(components)]
    for id in 1...components { scan += [UInt8(id), 0x00] }
    w.segment(0xDA, scan + [UInt8(predictor), 0, 0])

    let initial = 1 << (precision - 1)
    var restartRow = 0
    var restartColumn = 0
    var marker = 0
    for row in 0..<height {
      for column in 0..<width {
        let mcu = row * width + column
        if restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0 {
          w.flush()
          w.bytes += [0xFF, UInt8(0xD0 + marker % 8)]
          marker += 1
          restartRow = row
          restartColumn = column
        }
        for component in 0..<components {
          func at(_ r: Int, _ c: Int) -> Int {
            samples[(r * width + c) * components + component]
          }
          let x = at(row, column)
          // Table H.1, with the first line of an interval predicted
          // from the left and the first column from above.
          let prediction: Int
          if row == restartRow && column == restartColumn {
            prediction = initial
          } else if row == restartRow {
            prediction = at(row, column - 1)
          } else if column == 0 {
            prediction = at(row - 1, column)
          } else {
            let a = at(row, column - 1)
            let b = at(row - 1, column)
            let c = at(row - 1, column - 1)
            prediction = [0, a, b, c, a + b - c, a + ((b - c) >> 1),
                          b + ((a - c) >> 1), (a + b) >> 1][predictor]
          }
          var diff = (x - prediction) & 0xFFFF
          if diff > 32768 { diff -= 65536 }
          let magnitude = abs(diff)
          let category = magnitude == 0 ? 0 : min(16, Int.bitWidth - magnitude.leadingZeroBitCount)
          w.put(category, bits: 5)
          if category > 0 && category < 16 {
            w.put(diff >= 0 ? diff : diff + (1 << category) - 1, bits: category)
          }
        }
      }
    }
    w.flush()
    w.bytes += [0xFF, 0xD9]
    return w.bytes
  }
}

@Suite struct JPEGLosslessTests {
  /// A 12-bit test pattern with edges, a ramp and extreme values.
  static func pattern(width: Int, height: Int, components: Int, precision: Int) -> [Int] {
    let maximum = (1 << precision) - 1
    var samples: [Int] = []
    for row in 0..<height {
      for column in 0..<width {
        for component in 0..<components {
          let value = (row * 37 + column * 91 + component * 1000 + (row * column) % 17 * 200)
          samples.append((row + column) % 7 == 0 ? maximum : value % (maximum + 1))
        }
      }
    }
    return samples
  }

  @Test(arguments: 1...7) func everyPredictorRoundTrips(predictor: Int) throws {
    let samples = Self.pattern(width: 13, height: 9, components: 1, precision: 12)
    let stream = LosslessJPEGWriter.encode(
      samples, width: 13, height: 9, components: 1, precision: 12,
      predictor: predictor)
    let image = try JPEGLosslessDecoder.decode(stream, expectedRows: 9)
    #expect(image.width == 13)
    #expect(image.height == 9)
    #expect(image.samples.map(Int.init) == samples)
  }

  @Test(arguments: [1, 5, 13, 20]) func restartIntervals(interval: Int) throws {
    let samples = Self.pattern(width: 13, height: 6, components: 1, precision: 16)
    let stream = LosslessJPEGWriter.encode(
      samples, width: 13, height: 6, components: 1, precision: 16,
      predictor: 6, restartInterval: interval)
    let image = try JPEGLosslessDecoder.decode(stream, expectedRows: 6)
    #expect(image.samples.map(Int.init) == samples)
  }

  @Test func threeInterleavedComponents() throws {
    let samples = Self.pattern(width: 7, height: 5, components: 3, precision: 8)
    let stream = LosslessJPEGWriter.encode(
      samples, width: 7, height: 5, components: 3, precision: 8, predictor: 4)
    let image = try JPEGLosslessDecoder.decode(stream, expectedRows: 5)
    #expect(image.components == 3)
    #expect(image.samples.map(Int.init) == samples)
  }

  @Test func truncatedStreamFailsCleanly() throws {
    let samples = Self.pattern(width: 13, height: 9, components: 1, precision: 12)
    let stream = LosslessJPEGWriter.encode(
      samples, width: 13, height: 9, components: 1, precision: 12, predictor: 1)
    // Cut inside the frame header: an error, not a crash.
    #expect(throws: JPEGLosslessDecoder.Failure.self) {
      try JPEGLosslessDecoder.decode(Array(stream.prefix(14)), expectedRows: 9)
    }
    // Cut inside the entropy-coded data: zeros are read past the end, so
    // decoding finishes with wrong values or an invalid code, never a trap.
    _ = try? JPEGLosslessDecoder.decode(Array(stream.prefix(stream.count / 2)), expectedRows: 9)
  }
}
