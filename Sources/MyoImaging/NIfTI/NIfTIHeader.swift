/// The fields of a NIfTI-1 or NIfTI-2 header that myoscope uses.
///
/// NIfTI-1 layout (348 bytes), by byte offset:
///
///     0   sizeof_hdr  int32    348
///     40  dim[8]      int16    dim[0] is the number of dimensions
///     70  datatype    int16    NIfTI type code
///     72  bitpix      int16    bits per voxel
///     76  pixdim[8]   float32  pixdim[0] is qfac
///     108 vox_offset  float32  start of the data in a .nii file
///     112 scl_slope   float32  0 means no scaling
///     116 scl_inter   float32
///     148 descrip     char[80]
///     252 qform_code  int16
///     254 sform_code  int16
///     256 quatern_b, c, d, qoffset_x, y, z   float32
///     280 srow_x, srow_y, srow_z             float32[4] each
///     344 magic       char[4]  "n+1" (.nii) or "ni1" (.hdr/.img)
///
/// NIfTI-2 layout (540 bytes): sizeof_hdr int32 at 0, magic char[8] at 4,
/// datatype int16 at 12, bitpix int16 at 14, dim int64[8] at 16, pixdim
/// float64[8] at 104, vox_offset int64 at 168, scl_slope float64 at 176,
/// scl_inter float64 at 184, descrip char[80] at 240, qform_code int32 at
/// 344, sform_code int32 at 348, quatern_b to qoffset_z float64 at 352 to
/// 392, srow_x, srow_y, srow_z float64[4] at 400, 432 and 464.
public struct NIfTIHeader: Sendable, Equatable {
  /// 1 or 2.
  public var version: Int
  /// Whether the header and data are big endian.
  public var bigEndian: Bool
  /// dim[1...7]; unused trailing dimensions are 1.
  public var dimensions: [Int]
  /// NIfTI data type code.
  public var dataType: Int
  /// Bits per voxel.
  public var bitsPerVoxel: Int
  /// pixdim[0...7].
  public var pixdim: [Double]
  /// Byte offset of the data in a single-file image.
  public var voxelOffset: Int
  /// Scale applied to stored values; 0 or non-finite means none.
  public var sclSlope: Double
  /// Offset added after scaling.
  public var sclIntercept: Double
  /// The description text, for the info panel.
  public var description: String
  /// qform_code; above 0 when the quaternion is valid.
  public var qformCode: Int
  /// sform_code; above 0 when the srow affine is valid.
  public var sformCode: Int
  /// quatern_b, quatern_c, quatern_d.
  public var quaternion: [Double]
  /// qoffset_x, qoffset_y, qoffset_z.
  public var qoffset: [Double]
  /// srow_x, srow_y and srow_z, row-major 3 x 4.
  public var srow: [Double]
  /// Whether the magic says the data follow the header in the same file.
  public var singleFile: Bool

  /// Bytes per voxel of the data type, or nil for an unknown type.
  public var bytesPerVoxel: Int? {
    switch dataType {
    case 2, 256: return 1
    case 4, 512: return 2
    case 8, 16, 768: return 4
    case 64, 1024, 1280: return 8
    case 128: return 3
    default: return nil
    }
  }

  /// The NIFTI_TYPE name of the data type (nifti1.h), such as "int16",
  /// with the code when the type is unknown.
  public var dataTypeName: String {
    let names: [Int: String] = [
      2: "uint8", 4: "int16", 8: "int32", 16: "float32", 32: "complex64",
      64: "float64", 128: "rgb24", 256: "int8", 512: "uint16", 768: "uint32",
      1024: "int64", 1280: "uint64",
    ]
    return names[dataType] ?? "code \(dataType)"
  }

  /// Parses a header from the first bytes of a file.
  public static func parse(_ bytes: [UInt8], path: String) throws
    -> NIfTIHeader
  {
    guard bytes.count >= 348 else {
      throw ImagingError.truncated(
        path: path, offset: bytes.count, expected: "a 348-byte NIfTI header")
    }
    let little = ByteReader(bytes: bytes, bigEndian: false)
    let big = ByteReader(bytes: bytes, bigEndian: true)
    let size = little.int32(0)
    let reader: ByteReader
    let version: Int
    switch size {
    case 348: (reader, version) = (little, 1)
    case 540: (reader, version) = (little, 2)
    default:
      switch big.int32(0) {
      case 348: (reader, version) = (big, 1)
      case 540: (reader, version) = (big, 2)
      default:
        throw ImagingError.invalidField(
          path: path, field: "NIfTI sizeof_hdr", value: "\(size)",
          expected: "348 (NIfTI-1) or 540 (NIfTI-2)", offset: 0)
      }
    }
    var header =
      version == 1
      ? try parseVersion1(reader, path: path)
      : try parseVersion2(reader, path: path)
    // dim[0] counts the dimensions in use; later entries are often 0 or
    // garbage, and count as 1.
    let used = version == 1 ? Int(reader.int16(40)) : Int(clamping: reader.int64(16))
    guard (1...7).contains(used) else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI dim[0]", value: "\(used)",
        expected: "1 to 7 dimensions", offset: version == 1 ? 40 : 16)
    }
    for axis in used..<7 { header.dimensions[axis] = 1 }
    return header
  }

  private static func parseVersion1(_ r: ByteReader, path: String) throws
    -> NIfTIHeader
  {
    let magic = r.text(344, 4)
    guard magic == "n+1" || magic == "ni1" else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI magic", value: magic,
        expected: "'n+1' or 'ni1'", offset: 344)
    }
    return NIfTIHeader(
      version: 1, bigEndian: r.bigEndian,
      dimensions: (1...7).map { Int(r.int16(40 + 2 * $0)) },
      dataType: Int(r.int16(70)), bitsPerVoxel: Int(r.int16(72)),
      pixdim: (0...7).map { Double(r.float32(76 + 4 * $0)) },
      voxelOffset: voxelOffset(r.float32(108)),
      sclSlope: Double(r.float32(112)), sclIntercept: Double(r.float32(116)),
      description: r.text(148, 80), qformCode: Int(r.int16(252)),
      sformCode: Int(r.int16(254)),
      quaternion: (0..<3).map { Double(r.float32(256 + 4 * $0)) },
      qoffset: (0..<3).map { Double(r.float32(268 + 4 * $0)) },
      srow: (0..<12).map { Double(r.float32(280 + 4 * $0)) },
      singleFile: magic == "n+1")
  }

  /// Converts the float vox_offset of NIfTI-1. Values that are not finite
  /// or out of range would trap in the conversion, so they are clamped and
  /// left to the size check against the file.
  private static func voxelOffset(_ value: Float) -> Int {
    guard value.isFinite else { return 352 }
    return Int(max(0, min(value, Float(1 << 40))))
  }

  private static func parseVersion2(_ r: ByteReader, path: String) throws
    -> NIfTIHeader
  {
    guard r.bytes.count >= 540 else {
      throw ImagingError.truncated(
        path: path, offset: r.bytes.count,
        expected: "a 540-byte NIfTI-2 header")
    }
    let magic = r.text(4, 3)
    guard magic == "n+2" || magic == "ni2" else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI-2 magic", value: magic,
        expected: "'n+2' or 'ni2'", offset: 4)
    }
    func clampedInt(_ offset: Int) -> Int {
      Int(clamping: r.int64(offset))
    }
    return NIfTIHeader(
      version: 2, bigEndian: r.bigEndian,
      dimensions: (1...7).map { clampedInt(16 + 8 * $0) },
      dataType: Int(r.int16(12)), bitsPerVoxel: Int(r.int16(14)),
      pixdim: (0...7).map { r.float64(104 + 8 * $0) },
      voxelOffset: clampedInt(168), sclSlope: r.float64(176),
      sclIntercept: r.float64(184), description: r.text(240, 80),
      qformCode: Int(r.int32(344)), sformCode: Int(r.int32(348)),
      quaternion: (0..<3).map { r.float64(352 + 8 * $0) },
      qoffset: (0..<3).map { r.float64(376 + 8 * $0) },
      srow: (0..<12).map { r.float64(400 + 8 * $0) },
      singleFile: magic == "n+2")
  }

  /// The voxel-to-world affine (RAS+ millimetres), row-major 3 x 4: the
  /// sform when its code is above 0, else the qform when its code is above
  /// 0, else the voxel sizes on the diagonal.
  public var affine: [Double] {
    if sformCode > 0 { return srow }
    let dx = pixdim[1] != 0 ? abs(pixdim[1]) : 1
    let dy = pixdim[2] != 0 ? abs(pixdim[2]) : 1
    let dz = pixdim[3] != 0 ? abs(pixdim[3]) : 1
    guard qformCode > 0 else {
      return [dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0]
    }
    // Rotation from the unit quaternion (a, b, c, d) with
    // a = sqrt(1 - b^2 - c^2 - d^2), as in the NIfTI-1 header notes.
    let (b, c, d) = (quaternion[0], quaternion[1], quaternion[2])
    var a = 1 - (b * b + c * c + d * d)
    a = a > 1e-7 ? a.squareRoot() : 0
    let qfac: Double = pixdim[0] < 0 ? -1 : 1
    let rotation = [
      a * a + b * b - c * c - d * d, 2 * (b * c - a * d),
      2 * (b * d + a * c),
      2 * (b * c + a * d), a * a + c * c - b * b - d * d,
      2 * (c * d - a * b),
      2 * (b * d - a * c), 2 * (c * d + a * b),
      a * a + d * d - c * c - b * b,
    ]
    let scale = [dx, dy, qfac * dz]
    var result = [Double](repeating: 0, count: 12)
    for row in 0..<3 {
      for column in 0..<3 {
        result[row * 4 + column] = rotation[row * 3 + column] * scale[column]
      }
      result[row * 4 + 3] = qoffset[row]
    }
    return result
  }
}

/// Reads numbers of either byte order from a byte array.
struct ByteReader {
  let bytes: [UInt8]
  let bigEndian: Bool

  func unsigned(_ offset: Int, _ size: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in 0..<size {
      let byte = UInt64(bytes[bigEndian ? offset + index : offset + size - 1 - index])
      value = value << 8 | byte
    }
    return value
  }

  func int16(_ offset: Int) -> Int16 {
    Int16(truncatingIfNeeded: unsigned(offset, 2))
  }

  func int32(_ offset: Int) -> Int32 {
    Int32(truncatingIfNeeded: unsigned(offset, 4))
  }

  func int64(_ offset: Int) -> Int64 {
    Int64(bitPattern: unsigned(offset, 8))
  }

  func float32(_ offset: Int) -> Float {
    Float(bitPattern: UInt32(truncatingIfNeeded: unsigned(offset, 4)))
  }

  func float64(_ offset: Int) -> Double {
    Double(bitPattern: unsigned(offset, 8))
  }

  func text(_ offset: Int, _ length: Int) -> String {
    let slice = bytes[offset..<(offset + length)].prefix { $0 != 0 }
    return String(decoding: slice, as: UTF8.self)
  }
}
