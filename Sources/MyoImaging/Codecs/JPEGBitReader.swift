/// Reads the entropy-coded bits of a JPEG scan, removing the stuffed zero
/// after each 0xFF and stopping at markers (ITU-T T.81 section F.1.2.3).
struct JPEGBitReader {
  private let data: UnsafeBufferPointer<UInt8>
  /// Offset of the next byte to load.
  private(set) var position: Int
  private var buffer: UInt64 = 0
  private var count = 0
  /// Whether a marker stopped the loading; zeros are read past it.
  private(set) var hitMarker = false

  init(data: UnsafeBufferPointer<UInt8>, position: Int) {
    self.data = data
    self.position = position
  }

  @inline(__always)
  private mutating func fill() {
    while count <= 56 {
      var byte: UInt8 = 0
      if !hitMarker && position < data.count {
        byte = data[position]
        if byte == 0xFF {
          let next = position + 1 < data.count ? data[position + 1] : 0xD9
          if next == 0 {
            position += 2
          } else {
            hitMarker = true
            byte = 0
          }
        } else {
          position += 1
        }
      }
      buffer |= UInt64(byte) << UInt64(56 - count)
      count += 8
    }
  }

  /// Returns the next `bits` bits (1 to 16) without consuming them.
  @inline(__always)
  mutating func peek(_ bits: Int) -> Int {
    if count < bits { fill() }
    return Int(buffer >> UInt64(64 - bits))
  }

  @inline(__always)
  mutating func skip(_ bits: Int) {
    buffer <<= UInt64(bits)
    count -= bits
  }

  /// Decodes one Huffman symbol; nil for a code the table lacks.
  @inline(__always)
  mutating func symbol(_ table: HuffmanTable) -> Int? {
    let head = peek(HuffmanTable.lookupBits)
    let entry = table.lookup[head]
    if entry >> 8 != 0 {
      skip(Int(entry >> 8))
      return Int(entry & 0xFF)
    }
    let code16 = peek(16)
    for length in (HuffmanTable.lookupBits + 1)...16 {
      let code = code16 >> (16 - length)
      if code <= table.maxCode[length] {
        skip(length)
        let index = code + table.offset[length]
        return index < table.values.count ? Int(table.values[index]) : nil
      }
    }
    return nil
  }

  /// Reads the difference coded by category `ssss` (T.81 section H.1.2.2:
  /// 16 means 32768 with no extra bits).
  @inline(__always)
  mutating func difference(_ ssss: Int) -> Int {
    if ssss == 0 { return 0 }
    if ssss >= 16 { return 32768 }
    let value = peek(ssss)
    skip(ssss)
    return value < 1 << (ssss - 1) ? value - (1 << ssss) + 1 : value
  }

  /// Drops buffered bits and skips the restart marker at the current
  /// position; returns false when there is none.
  mutating func restart() -> Bool {
    buffer = 0
    count = 0
    hitMarker = false
    // The padding bits of the last byte may not have been loaded yet, so
    // the marker is searched for rather than expected at `position`.
    while position + 1 < data.count {
      if data[position] == 0xFF {
        let next = data[position + 1]
        if (0xD0...0xD7).contains(next) {
          position += 2
          return true
        }
        if next != 0xFF && next != 0 { return false }
      }
      position += 1
    }
    return false
  }
}
