/// Writes DICOM elements byte by byte for hand-built test files. Each
/// call appends one element; the tests comment what each one is.
struct DICOMBuilder {
  var bytes: [UInt8] = []
  var explicit = true
  var bigEndian = false

  mutating func u16(_ value: Int) {
    let v = UInt16(truncatingIfNeeded: value)
    bytes += bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
  }

  mutating func u32(_ value: UInt32) {
    let parts = [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    bytes += bigEndian ? parts.reversed() : parts
  }

  /// The 128-byte preamble and "DICM".
  mutating func preamble() {
    bytes += [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
  }

  /// An element header and value; long VRs get the 32-bit length form.
  mutating func element(
    _ group: Int, _ element: Int, _ vr: String, _ value: [UInt8],
    length: UInt32? = nil
  ) {
    u16(group)
    u16(element)
    let long = ["OB", "OW", "OF", "SQ", "UN", "UT", "UC", "UR", "OD", "OL"]
    if explicit && group != 0xFFFE {
      bytes += Array(vr.utf8)
      if long.contains(vr) {
        bytes += [0, 0]
        u32(length ?? UInt32(value.count))
      } else {
        u16(Int(length ?? UInt32(value.count)))
      }
    } else {
      u32(length ?? UInt32(value.count))
    }
    bytes += value
  }

  /// A text value padded with a space to even length.
  mutating func text(_ group: Int, _ element: Int, _ vr: String, _ value: String) {
    var data = Array(value.utf8)
    if data.count % 2 == 1 { data.append(vr == "UI" ? 0 : 0x20) }
    self.element(group, element, vr, data)
  }

  /// A US value.
  mutating func us(_ group: Int, _ element: Int, _ value: Int) {
    var data = DICOMBuilder(bigEndian: bigEndian)
    data.u16(value)
    self.element(group, element, "US", data.bytes)
  }

  /// 16-bit words in the builder's byte order.
  func words(_ values: [Int]) -> [UInt8] {
    var data = DICOMBuilder(bigEndian: bigEndian)
    for value in values { data.u16(value) }
    return data.bytes
  }

  /// An item or delimiter tag with a 32-bit length, as in sequences.
  mutating func delimiter(_ element: Int, length: UInt32) {
    u16(0xFFFE)
    u16(element)
    u32(length)
  }

  /// The file meta group with a transfer syntax, explicit little endian.
  mutating func meta(transferSyntax: String) {
    let saved = (explicit, bigEndian)
    (explicit, bigEndian) = (true, false)
    var uid = Array(transferSyntax.utf8)
    if uid.count % 2 == 1 { uid.append(0) }
    // (0002,0000) group length: the one element after it.
    element(0x0002, 0x0000, "UL", [UInt8(8 + uid.count), 0, 0, 0])
    // (0002,0010) Transfer Syntax UID.
    element(0x0002, 0x0010, "UI", uid)
    (explicit, bigEndian) = saved
  }

  /// The image pixel module of a one-sample image.
  mutating func imagePixel(
    rows: Int, columns: Int, allocated: Int, stored: Int, signed: Bool = false,
    photometric: String = "MONOCHROME2", samples: Int = 1, planar: Int? = nil
  ) {
    // (0028,0002) Samples per Pixel.
    us(0x0028, 0x0002, samples)
    // (0028,0004) Photometric Interpretation.
    text(0x0028, 0x0004, "CS", photometric)
    if let planar {
      // (0028,0006) Planar Configuration.
      us(0x0028, 0x0006, planar)
    }
    // (0028,0010) Rows and (0028,0011) Columns.
    us(0x0028, 0x0010, rows)
    us(0x0028, 0x0011, columns)
    // (0028,0100) Bits Allocated, (0028,0101) Bits Stored, (0028,0102)
    // High Bit, (0028,0103) Pixel Representation.
    us(0x0028, 0x0100, allocated)
    us(0x0028, 0x0101, stored)
    us(0x0028, 0x0102, stored - 1)
    us(0x0028, 0x0103, signed ? 1 : 0)
  }
}
