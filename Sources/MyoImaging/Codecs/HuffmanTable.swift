/// A JPEG Huffman table (ITU-T T.81 annex C) with a 9-bit lookup for the
/// short codes and the canonical max-code search for the long ones.
struct HuffmanTable {
  static let lookupBits = 9

  /// Per lookup index: code length in the high byte (0 when longer than
  /// `lookupBits`), symbol in the low byte.
  private(set) var lookup = [UInt16](repeating: 0, count: 1 << lookupBits)
  /// Largest code of each length 1...16, or -1 when there is none.
  private(set) var maxCode = [Int](repeating: -1, count: 18)
  /// Index in `values` of the first code of each length, minus that code.
  private(set) var offset = [Int](repeating: 0, count: 17)
  /// Symbols in code order.
  let values: [UInt8]

  /// Builds the table from BITS (counts of codes of length 1...16) and
  /// HUFFVAL; nil when the counts describe more codes than fit.
  init?(counts: [Int], values: [UInt8]) {
    guard counts.count == 16, counts.reduce(0, +) == values.count else {
      return nil
    }
    self.values = values
    var code = 0
    var index = 0
    for length in 1...16 {
      let count = counts[length - 1]
      offset[length] = index - code
      if count > 0 {
        for _ in 0..<count {
          if length <= Self.lookupBits {
            let shift = Self.lookupBits - length
            let first = code << shift
            for fill in 0..<(1 << shift) {
              lookup[first + fill] =
                UInt16(length) << 8 | UInt16(values[index])
            }
          }
          code += 1
          index += 1
        }
        maxCode[length] = code - 1
      }
      guard code <= 1 << length else { return nil }
      code <<= 1
    }
    maxCode[17] = Int.max
  }
}
