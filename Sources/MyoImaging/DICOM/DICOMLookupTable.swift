/// A modality or VOI lookup table (PS3.3 sections C.11.1 and C.11.2).
/// Input values from `firstMapped` on map to `entries`. Inputs below the
/// first take the first entry, and inputs past the last take the last.
public struct DICOMLookupTable: Sendable, Equatable {
  /// The stored value that maps to `entries[0]`.
  public var firstMapped: Int
  /// Output values.
  public var entries: [Int]
  /// Bits per entry, from the LUT Descriptor.
  public var bits: Int
  /// LUT Explanation, or "".
  public var explanation: String

  static let descriptor = DICOMTag(0x0028, 0x3002)
  static let explanationTag = DICOMTag(0x0028, 0x3003)
  static let data = DICOMTag(0x0028, 0x3006)
  /// Modality LUT Sequence.
  static let modalitySequence = DICOMTag(0x0028, 0x3000)
  /// VOI LUT Sequence.
  static let voiSequence = DICOMTag(0x0028, 0x3010)

  /// Maps one input value.
  @inline(__always)
  public func map(_ value: Int) -> Int {
    let index = min(max(value - firstMapped, 0), entries.count - 1)
    return entries[index]
  }

  /// Reads the table from an item of a LUT sequence. A first descriptor
  /// value of 0 means 65536 entries. The second value is signed when the
  /// pixels are, because its VR (US or SS) follows theirs.
  static func read(_ item: DICOMDataSet, signedInput: Bool) -> DICOMLookupTable? {
    guard let element = item[descriptor], let lutData = item[data] else {
      return nil
    }
    let words = (0..<(element.valueRange.count / 2)).map {
      Int(item.readUnsigned(at: element.valueRange.lowerBound + 2 * $0, size: 2))
    }
    guard words.count >= 3 else { return nil }
    let count = words[0] == 0 ? 65536 : words[0]
    let first = signedInput ? Int(Int16(truncatingIfNeeded: words[1])) : words[1]
    let bits = words[2]
    let bytes = lutData.valueRange
    var entries: [Int] = []
    if lutData.vr == "OB" || (bits <= 8 && bytes.count == count) {
      entries = bytes.map { Int(item.buffer[$0]) }
    } else {
      entries = (0..<(bytes.count / 2)).map {
        Int(item.readUnsigned(at: bytes.lowerBound + 2 * $0, size: 2))
      }
    }
    guard !entries.isEmpty else { return nil }
    if entries.count > count { entries = Array(entries.prefix(count)) }
    return DICOMLookupTable(
      firstMapped: first, entries: entries, bits: bits,
      explanation: item.string(explanationTag) ?? "")
  }
}
