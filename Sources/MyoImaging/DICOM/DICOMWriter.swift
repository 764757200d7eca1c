/// Writes DICOM Part 10 files in explicit VR little endian: the 128-byte
/// preamble, "DICM", the file meta group and the data set, elements in
/// ascending tag order (PS3.10 section 7, PS3.5 sections 7.1.2 and 7.4).
///
/// Values are set per element with their VR; the writer pads each value
/// to an even length as PS3.5 section 7.1.1 requires (UI with a NUL,
/// other text with a space, binary with a zero byte) and checks text
/// lengths against the VR's maximum.
public struct DICOMWriter: Sendable {
  private struct Element: Sendable {
    var vr: String
    var value: [UInt8]
  }

  private var elements: [DICOMTag: Element] = [:]

  /// The file named in error messages.
  public var path: String

  /// Creates an empty writer for a file at `path`.
  public init(path: String) {
    self.path = path
  }

  /// The longest value of the text VRs (PS3.5 section 6.2), in
  /// characters; VRs missing here have no fixed limit.
  static let maximumLength: [String: Int] = [
    "AE": 16, "AS": 4, "CS": 16, "DA": 8, "DS": 16, "DT": 26, "IS": 12,
    "LO": 64, "LT": 10240, "PN": 64, "SH": 16, "ST": 1024, "TM": 16,
    "UI": 64,
  ]

  /// VRs whose explicit form has a 32-bit length (PS3.5 section 7.1.2).
  static let longVRs: Set<String> = [
    "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT",
    "UV",
  ]

  /// Sets a text element; several values are joined by backslashes, and
  /// each is checked against the VR's maximum length.
  public mutating func set(
    _ tag: DICOMTag, _ vr: String, _ values: [String]
  ) throws {
    guard DICOMWriter.maximumLength[vr] != nil || ["UT", "UC", "UR"].contains(vr)
    else {
      throw ImagingError.invalidField(
        path: path, field: "VR of \(tag)", value: vr,
        expected: "a text VR such as CS, DS, IS, LO, PN, SH or UI")
    }
    for value in values {
      if let limit = DICOMWriter.maximumLength[vr], value.utf8.count > limit {
        throw ImagingError.invalidField(
          path: path, field: "value of \(tag) (\(vr))", value: value,
          expected: "at most \(limit) characters")
      }
      if value.contains("\\") && vr != "LT" && vr != "ST" && vr != "UT" {
        throw ImagingError.invalidField(
          path: path, field: "value of \(tag) (\(vr))", value: value,
          expected: "no backslash, which separates values")
      }
    }
    var bytes = Array(values.joined(separator: "\\").utf8)
    if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
    elements[tag] = Element(vr: vr, value: bytes)
  }

  /// Sets a text element with one value.
  public mutating func set(_ tag: DICOMTag, _ vr: String, _ value: String)
    throws
  {
    try set(tag, vr, [value])
  }

  /// Sets decimal strings (DS), each written in the shortest form that
  /// reads back as the same Double and fits 16 characters.
  public mutating func set(_ tag: DICOMTag, decimals values: [Double]) throws
  {
    try set(tag, "DS", values.map(DICOMWriter.decimalString))
  }

  /// Sets an unsigned short (US) element.
  public mutating func set(_ tag: DICOMTag, unsignedShort value: UInt16) {
    elements[tag] = Element(
      vr: "US", value: [UInt8(value & 0xFF), UInt8(value >> 8)])
  }

  /// Sets an unsigned long (UL) element.
  public mutating func set(_ tag: DICOMTag, unsignedLong value: UInt32) {
    elements[tag] = Element(vr: "UL", value: DICOMWriter.littleEndian(value))
  }

  /// Sets binary bytes (OB), padded with a zero byte to an even length.
  public mutating func set(_ tag: DICOMTag, bytes: [UInt8]) {
    var value = bytes
    if value.count % 2 == 1 { value.append(0) }
    elements[tag] = Element(vr: "OB", value: value)
  }

  /// Sets 16-bit words (OW), such as native Pixel Data (7FE0,0010).
  public mutating func set(_ tag: DICOMTag, words: [UInt16]) {
    var value = [UInt8](repeating: 0, count: words.count * 2)
    for (index, word) in words.enumerated() {
      value[2 * index] = UInt8(word & 0xFF)
      value[2 * index + 1] = UInt8(word >> 8)
    }
    elements[tag] = Element(vr: "OW", value: value)
  }

  /// Encodes the file. The meta group takes the SOP class and instance
  /// from (0008,0016) and (0008,0018), which must be set, and names the
  /// implementation with `implementationUID` and `implementationVersion`.
  public func encode(
    implementationUID: String, implementationVersion: String
  ) throws -> [UInt8] {
    func text(_ tag: DICOMTag) throws -> String {
      guard let element = elements[tag] else {
        throw ImagingError.invalidField(
          path: path, field: "\(tag)", value: "missing",
          expected: "a value; the file meta group needs it")
      }
      let bytes = element.value.filter { $0 != 0 && $0 != 0x20 }
      return String(decoding: bytes, as: UTF8.self)
    }
    var meta = DICOMWriter(path: path)
    meta.set(DICOMTag(0x0002, 0x0001), bytes: [0x00, 0x01])
    try meta.set(DICOMTag(0x0002, 0x0002), "UI", try text(DICOMTag(0x0008, 0x0016)))
    try meta.set(DICOMTag(0x0002, 0x0003), "UI", try text(DICOMTag(0x0008, 0x0018)))
    try meta.set(DICOMTag(0x0002, 0x0010), "UI", TransferSyntax.explicitLittle.uid)
    try meta.set(DICOMTag(0x0002, 0x0012), "UI", implementationUID)
    try meta.set(DICOMTag(0x0002, 0x0013), "SH", implementationVersion)
    let metaBody = meta.encodedElements()

    var output = [UInt8](repeating: 0, count: 128)
    output += Array("DICM".utf8)
    // (0002,0000) File Meta Information Group Length: the bytes after it
    // up to the end of the group.
    output += DICOMWriter.header(DICOMTag(0x0002, 0x0000), "UL", length: 4)
    output += DICOMWriter.littleEndian(UInt32(metaBody.count))
    output += metaBody
    output += encodedElements()
    return output
  }

  /// The elements in ascending tag order, explicit VR little endian.
  private func encodedElements() -> [UInt8] {
    var output: [UInt8] = []
    for tag in elements.keys.sorted() {
      let element = elements[tag]!
      output += DICOMWriter.header(tag, element.vr, length: element.value.count)
      output += element.value
    }
    return output
  }

  private static func header(_ tag: DICOMTag, _ vr: String, length: Int)
    -> [UInt8]
  {
    var bytes: [UInt8] = [
      UInt8(tag.group & 0xFF), UInt8(tag.group >> 8),
      UInt8(tag.element & 0xFF), UInt8(tag.element >> 8),
    ]
    bytes += Array(vr.utf8)
    if longVRs.contains(vr) {
      bytes += [0, 0]
      bytes += littleEndian(UInt32(length))
    } else {
      bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF)]
    }
    return bytes
  }

  private static func littleEndian(_ value: UInt32) -> [UInt8] {
    [
      UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF),
      UInt8(value >> 24),
    ]
  }

  /// A decimal string of at most 16 characters for a DS value.
  static func decimalString(_ value: Double) -> String {
    var text = "\(value)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    if text.count <= 16 && !text.contains("e") { return text }
    // Too long: round to the digits that fit.
    for digits in stride(from: 12, through: 1, by: -1) {
      let scale = pow10(digits)
      let rounded = (value * scale).rounded() / scale
      var candidate = "\(rounded)"
      if candidate.hasSuffix(".0") { candidate.removeLast(2) }
      if candidate.count <= 16 && !candidate.contains("e") { return candidate }
    }
    return "\(Int(value.rounded()))"
  }

  private static func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
  }
}
