/// Writes single-file NIfTI-1 images (`.nii`, or `.nii.gz` when
/// compressed), one 3-D volume of 8- or 16-bit integers with the same
/// affine in the qform and the sform.
///
/// The header is laid out as `NIfTIHeader` documents it; the data start at
/// byte 352, after the 348-byte header and a 4-byte extension flag of
/// zeros.
public enum NIfTIWriter {
  /// The voxel type of the data.
  public enum DataType: Sendable {
    /// uint8, NIfTI code 2.
    case uint8
    /// int16, NIfTI code 4.
    case int16
    /// uint16, NIfTI code 512.
    case uint16

    var code: Int16 {
      switch self {
      case .uint8: return 2
      case .int16: return 4
      case .uint16: return 512
      }
    }

    var bits: Int16 { self == .uint8 ? 8 : 16 }
  }

  /// Encodes a volume. `values` are `[z, y, x]` with x fastest, each
  /// within the data type's range; `affine` is the voxel-to-world matrix
  /// in RAS+ millimetres, row-major 3 x 4, whose rotation part must be
  /// orthogonal columns scaled by the voxel sizes.
  public static func encode(
    values: [Int], size: [Int], affine: [Double], dataType: DataType,
    description: String, compressed: Bool, path: String
  ) throws -> [UInt8] {
    guard size.count == 3, size.allSatisfy({ (1...32767).contains($0) })
    else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI volume size", value: "\(size)",
        expected: "three sizes from 1 to 32767")
    }
    guard values.count == size[0] * size[1] * size[2] else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI voxel count", value: "\(values.count)",
        expected: "\(size[0] * size[1] * size[2]) for size \(size)")
    }
    guard affine.count == 12, affine.allSatisfy(\.isFinite) else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI affine", value: "\(affine)",
        expected: "12 finite numbers")
    }
    let range: ClosedRange<Int>
    switch dataType {
    case .uint8: range = 0...255
    case .int16: range = -32768...32767
    case .uint16: range = 0...65535
    }
    if let bad = values.first(where: { !range.contains($0) }) {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI voxel value", value: "\(bad)",
        expected: "\(range.lowerBound) to \(range.upperBound)")
    }

    let (spacing, quaternion, qfac) = try decompose(affine, path: path)
    var header = [UInt8](repeating: 0, count: 352)
    func put16(_ offset: Int, _ value: Int16) {
      let bits = UInt16(bitPattern: value)
      header[offset] = UInt8(bits & 0xFF)
      header[offset + 1] = UInt8(bits >> 8)
    }
    func put32(_ offset: Int, _ value: UInt32) {
      for index in 0..<4 {
        header[offset + index] = UInt8(value >> (8 * UInt32(index)) & 0xFF)
      }
    }
    func putFloat(_ offset: Int, _ value: Double) {
      put32(offset, Float(value).bitPattern)
    }
    put32(0, 348)  // sizeof_hdr
    header[39] = 0  // dim_info: unknown
    put16(40, 3)  // dim[0]: three dimensions
    for axis in 0..<3 { put16(42 + 2 * axis, Int16(size[axis])) }
    for axis in 3..<7 { put16(42 + 2 * axis, 1) }
    put16(70, dataType.code)
    put16(72, dataType.bits)
    putFloat(76, qfac)  // pixdim[0] is qfac
    for axis in 0..<3 { putFloat(80 + 4 * axis, spacing[axis]) }
    putFloat(108, 352)  // vox_offset
    putFloat(112, 1)  // scl_slope
    putFloat(116, 0)  // scl_inter
    header[123] = 10  // xyzt_units: millimetres and seconds
    let text = Array(description.utf8.prefix(79))
    for (index, byte) in text.enumerated() { header[148 + index] = byte }
    put16(252, 1)  // qform_code: scanner coordinates
    put16(254, 1)  // sform_code: scanner coordinates
    for index in 0..<3 { putFloat(256 + 4 * index, quaternion[index]) }
    for index in 0..<3 { putFloat(268 + 4 * index, affine[4 * index + 3]) }
    for index in 0..<12 { putFloat(280 + 4 * index, affine[index]) }
    header[344] = UInt8(ascii: "n")
    header[345] = UInt8(ascii: "+")
    header[346] = UInt8(ascii: "1")

    var bytes = header
    bytes.reserveCapacity(352 + values.count * Int(dataType.bits / 8))
    switch dataType {
    case .uint8:
      for value in values { bytes.append(UInt8(value)) }
    case .int16, .uint16:
      for value in values {
        let bits = UInt16(truncatingIfNeeded: value)
        bytes.append(UInt8(bits & 0xFF))
        bytes.append(UInt8(bits >> 8))
      }
    }
    return compressed ? Zlib.deflate(bytes, format: .gzip) : bytes
  }

  /// Splits an affine into voxel sizes, the quaternion (b, c, d) and
  /// qfac, as the NIfTI-1 header notes define them: R = [columns / sizes],
  /// with the third column negated when det R < 0.
  static func decompose(_ affine: [Double], path: String) throws
    -> ([Double], [Double], Double)
  {
    var columns = (0..<3).map { column in
      (0..<3).map { row in affine[row * 4 + column] }
    }
    let spacing = columns.map { column in
      column.map { $0 * $0 }.reduce(0, +).squareRoot()
    }
    guard spacing.allSatisfy({ $0 > 0 }) else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI affine", value: "\(affine)",
        expected: "three nonzero voxel axes")
    }
    for axis in 0..<3 { columns[axis] = columns[axis].map { $0 / spacing[axis] } }
    let r = columns
    // r[c][row] is element (row, c).
    let determinant =
      r[0][0] * (r[1][1] * r[2][2] - r[2][1] * r[1][2])
      - r[1][0] * (r[0][1] * r[2][2] - r[2][1] * r[0][2])
      + r[2][0] * (r[0][1] * r[1][2] - r[1][1] * r[0][2])
    let qfac: Double = determinant < 0 ? -1 : 1
    if qfac < 0 { columns[2] = columns[2].map { -$0 } }
    let m = { (row: Int, column: Int) in columns[column][row] }
    let trace = m(0, 0) + m(1, 1) + m(2, 2)
    var a = 0.5 * max(0, 1 + trace).squareRoot()
    var b = 0.0
    var c = 0.0
    var d = 0.0
    if a > 0.5 {
      b = 0.25 * (m(2, 1) - m(1, 2)) / a
      c = 0.25 * (m(0, 2) - m(2, 0)) / a
      d = 0.25 * (m(1, 0) - m(0, 1)) / a
    } else {
      let xd = 1 + m(0, 0) - m(1, 1) - m(2, 2)
      let yd = 1 + m(1, 1) - m(0, 0) - m(2, 2)
      let zd = 1 + m(2, 2) - m(0, 0) - m(1, 1)
      if xd > 1 {
        b = 0.5 * xd.squareRoot()
        c = 0.25 * (m(0, 1) + m(1, 0)) / b
        d = 0.25 * (m(0, 2) + m(2, 0)) / b
        a = 0.25 * (m(2, 1) - m(1, 2)) / b
      } else if yd > 1 {
        c = 0.5 * yd.squareRoot()
        b = 0.25 * (m(0, 1) + m(1, 0)) / c
        d = 0.25 * (m(1, 2) + m(2, 1)) / c
        a = 0.25 * (m(0, 2) - m(2, 0)) / c
      } else {
        d = 0.5 * zd.squareRoot()
        b = 0.25 * (m(0, 2) + m(2, 0)) / d
        c = 0.25 * (m(1, 2) + m(2, 1)) / d
        a = 0.25 * (m(1, 0) - m(0, 1)) / d
      }
      // The header stores b, c, d with a >= 0.
      if a < 0 { (b, c, d) = (-b, -c, -d) }
    }
    return (spacing, [b, c, d], qfac)
  }
}
