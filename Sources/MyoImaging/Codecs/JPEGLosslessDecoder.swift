/// A decoder for lossless JPEG, process 14 (ITU-T T.81 annex H): Huffman
/// coded differences from one of seven predictors, 2 to 16 bits per
/// sample, one or more components with sampling factors of 1.
struct JPEGLosslessDecoder {
  /// A decoded image: samples interleaved by component, row-major.
  struct Image {
    var width: Int
    var height: Int
    var components: Int
    var precision: Int
    var samples: [UInt16]
  }

  /// A decoding error with the byte offset in the codestream.
  struct Failure: Error {
    var message: String
    var offset: Int
  }

  private struct Frame {
    var precision = 0
    var height = 0
    var width = 0
    var componentIDs: [Int] = []
  }

  /// Decodes a whole codestream from SOI to EOI. `expectedRows` stands in
  /// for a height of 0 (set by a DNL marker, which is not read), and a
  /// frame of more than `maximumSamples` samples is rejected before it is
  /// allocated.
  static func decode(
    _ bytes: [UInt8], expectedRows: Int, maximumSamples: Int = 1 << 28
  ) throws(Failure) -> Image {
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
      throw Failure(message: "no SOI marker (FF D8) at the start", offset: 0)
    }
    var tables = [HuffmanTable?](repeating: nil, count: 4)
    var frame: Frame?
    var restartInterval = 0
    var samples: [UInt16] = []
    var position = 2
    var scans = 0

    while position < bytes.count {
      // Markers may be preceded by any number of 0xFF fill bytes.
      guard bytes[position] == 0xFF else {
        throw Failure(
          message: "expected a marker, found byte \(bytes[position])",
          offset: position)
      }
      while position < bytes.count && bytes[position] == 0xFF {
        position += 1
      }
      guard position < bytes.count else { break }
      let marker = bytes[position]
      position += 1
      if marker == 0xD9 { break }
      if (0xD0...0xD7).contains(marker) || marker == 0x01 { continue }
      guard position + 2 <= bytes.count else {
        throw Failure(message: "segment length missing", offset: position)
      }
      let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
      let segmentEnd = position + length
      guard length >= 2, segmentEnd <= bytes.count else {
        throw Failure(
          message: "segment FF \(hex(marker)) of length \(length) runs past"
            + " the end of \(bytes.count) bytes", offset: position)
      }
      let body = Array(bytes[(position + 2)..<segmentEnd])
      switch marker {
      case 0xC3:
        frame = try parseFrame(body, offset: position)
        let f = frame!
        let height = f.height == 0 ? expectedRows : f.height
        frame!.height = height
        guard f.width * height * f.componentIDs.count <= maximumSamples else {
          throw Failure(
            message: "frame of \(f.width) x \(height) x"
              + " \(f.componentIDs.count) samples is too large",
            offset: position)
        }
        samples = [UInt16](
          repeating: 0, count: f.width * height * f.componentIDs.count)
      case 0xC4:
        try parseTables(body, into: &tables, offset: position)
      case 0xDD:
        guard body.count >= 2 else {
          throw Failure(message: "DRI segment too short", offset: position)
        }
        restartInterval = Int(body[0]) << 8 | Int(body[1])
      case 0xDA:
        guard let f = frame else {
          throw Failure(message: "scan before the SOF3 frame header", offset: position)
        }
        position = try decodeScan(
          bytes, header: body, from: segmentEnd, frame: f, tables: tables,
          restartInterval: restartInterval, samples: &samples)
        scans += 1
        continue
      case 0xC0, 0xC1, 0xC2, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
        0xCE, 0xCF:
        throw Failure(
          message: "frame marker FF \(hex(marker)) is not lossless Huffman"
            + " (process 14 uses FF C3)", offset: position - 1)
      default:
        break
      }
      position = segmentEnd
    }
    guard let f = frame, scans > 0 else {
      throw Failure(message: "no SOF3 frame and scan found", offset: position)
    }
    return Image(
      width: f.width, height: f.height, components: f.componentIDs.count,
      precision: f.precision, samples: samples)
  }

  private static func hex(_ byte: UInt8) -> String {
    let text = String(byte, radix: 16, uppercase: true)
    return text.count == 1 ? "0" + text : text
  }

  private static func parseFrame(_ body: [UInt8], offset: Int) throws(Failure)
    -> Frame
  {
    guard body.count >= 6 else {
      throw Failure(message: "SOF3 segment too short", offset: offset)
    }
    var frame = Frame()
    frame.precision = Int(body[0])
    frame.height = Int(body[1]) << 8 | Int(body[2])
    frame.width = Int(body[3]) << 8 | Int(body[4])
    let count = Int(body[5])
    guard (2...16).contains(frame.precision), frame.width > 0,
      (1...4).contains(count), body.count >= 6 + 3 * count
    else {
      throw Failure(
        message: "SOF3 with precision \(frame.precision), width"
          + " \(frame.width) and \(count) components is invalid",
        offset: offset)
    }
    for index in 0..<count {
      let sampling = body[7 + 3 * index]
      guard sampling == 0x11 else {
        throw Failure(
          message: "component \(index + 1) has sampling factors"
            + " \(sampling >> 4)x\(sampling & 15); only 1x1 is supported",
          offset: offset)
      }
      frame.componentIDs.append(Int(body[6 + 3 * index]))
    }
    return frame
  }

  private static func parseTables(
    _ body: [UInt8], into tables: inout [HuffmanTable?], offset: Int
  ) throws(Failure) {
    var index = 0
    while index < body.count {
      guard index + 17 <= body.count else {
        throw Failure(message: "DHT segment too short", offset: offset)
      }
      let slot = Int(body[index] & 0x0F)
      let counts = (1...16).map { Int(body[index + $0]) }
      let total = counts.reduce(0, +)
      guard slot < 4, index + 17 + total <= body.count,
        let table = HuffmanTable(
          counts: counts,
          values: Array(body[(index + 17)..<(index + 17 + total)]))
      else {
        throw Failure(message: "invalid Huffman table \(slot)", offset: offset)
      }
      tables[slot] = table
      index += 17 + total
    }
  }

  /// Decodes one scan and returns the offset of the marker after it.
  private static func decodeScan(
    _ bytes: [UInt8], header: [UInt8], from start: Int, frame: Frame,
    tables: [HuffmanTable?], restartInterval: Int, samples: inout [UInt16]
  ) throws(Failure) -> Int {
    guard header.count >= 1 else {
      throw Failure(message: "SOS segment too short", offset: start)
    }
    let count = Int(header[0])
    guard (1...frame.componentIDs.count).contains(count),
      header.count >= 4 + 2 * count
    else {
      throw Failure(message: "SOS with \(count) components is invalid", offset: start)
    }
    var slots: [Int] = []
    var scanTables: [HuffmanTable] = []
    for index in 0..<count {
      let id = Int(header[1 + 2 * index])
      guard let slot = frame.componentIDs.firstIndex(of: id),
        let table = tables[Int(header[2 + 2 * index] >> 4) & 3]
      else {
        throw Failure(
          message: "scan component \(id) has no frame component or"
            + " Huffman table", offset: start)
      }
      slots.append(slot)
      scanTables.append(table)
    }
    let predictor = Int(header[1 + 2 * count])
    let pointTransform = Int(header[3 + 2 * count] & 0x0F)
    guard (1...7).contains(predictor) else {
      throw Failure(
        message: "predictor \(predictor) is invalid; lossless JPEG uses 1"
          + " to 7", offset: start)
    }
    guard pointTransform < frame.precision else {
      throw Failure(message: "point transform \(pointTransform) too large", offset: start)
    }

    let width = frame.width
    let height = frame.height
    let stride = frame.componentIDs.count
    let initial = 1 << (frame.precision - pointTransform - 1)
    let valueMask = 0xFFFF
    var position = start
    var failure: Failure?
    bytes.withUnsafeBufferPointer { data in
      samples.withUnsafeMutableBufferPointer { out in
        var reader = JPEGBitReader(data: data, position: start)
        var untilRestart = restartInterval
        // The row at which the current restart interval began: it is
        // predicted from the left only (T.81 section H.1.2.1).
        var firstRow = 0
        var firstColumn = 0
        for row in 0..<height {
          for column in 0..<width {
            if restartInterval > 0 && untilRestart == 0 {
              guard reader.restart() else {
                failure = Failure(
                  message: "restart marker missing before row \(row + 1)",
                  offset: reader.position)
                return
              }
              untilRestart = restartInterval
              firstRow = row
              firstColumn = column
            }
            if restartInterval > 0 { untilRestart -= 1 }
            let pixel = (row * width + column) * stride
            for (component, slot) in slots.enumerated() {
              guard let ssss = reader.symbol(scanTables[component]) else {
                failure = Failure(
                  message: "invalid Huffman code at row \(row + 1), column"
                    + " \(column + 1)", offset: reader.position)
                return
              }
              let diff = reader.difference(ssss)
              let here = pixel + slot
              let prediction: Int
              if row == firstRow && column == firstColumn {
                prediction = initial
              } else if row == firstRow {
                prediction = Int(out[here - stride])
              } else if column == 0 {
                prediction = Int(out[here - width * stride])
              } else {
                let a = Int(out[here - stride])
                let b = Int(out[here - width * stride])
                let c = Int(out[here - width * stride - stride])
                switch predictor {
                case 1: prediction = a
                case 2: prediction = b
                case 3: prediction = c
                case 4: prediction = a + b - c
                case 5: prediction = a + ((b - c) >> 1)
                case 6: prediction = b + ((a - c) >> 1)
                default: prediction = (a + b) >> 1
                }
              }
              out[here] = UInt16((prediction + diff) & valueMask)
            }
          }
        }
        position = reader.position
      }
    }
    if let failure { throw failure }

    // The point transform scales the reconstructed values back up.
    if pointTransform > 0 {
      for slot in slots {
        var index = slot
        while index < samples.count {
          samples[index] = UInt16(truncatingIfNeeded: Int(samples[index]) << pointTransform)
          index += stride
        }
      }
    }
    // Continue at the next marker after the entropy-coded data.
    while position + 1 < bytes.count {
      if bytes[position] == 0xFF && bytes[position + 1] != 0
        && !(0xD0...0xD7).contains(bytes[position + 1])
      {
        return position
      }
      position += 1
    }
    return bytes.count
  }
}
