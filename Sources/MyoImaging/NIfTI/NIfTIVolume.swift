import Foundation

/// The first 3-D volume of a NIfTI image, as scaled values, and the way
/// to cut it into axial display slices.
public struct NIfTIVolume: Sendable {
  /// The header.
  public let header: NIfTIHeader
  /// Voxel counts along the three voxel axes.
  public let size: [Int]
  /// Scaled values of the first volume, `[z, y, x]` with x fastest.
  public let values: [Float]
  /// RGB samples for RGB24 images, else nil.
  public let rgb: [UInt8]?
  /// Problems read past.
  public let warnings: [String]

  /// Reads a `.nii`, `.nii.gz` (detected by its magic bytes) or the
  /// `.hdr` of a `.hdr`/`.img` pair.
  public static func read(path: String) throws -> NIfTIVolume {
    try read(bytes: try FileBytes.read(path), path: path)
  }

  /// Reads a volume from the bytes of a `.nii` or `.nii.gz` file; `path`
  /// names it in errors and locates the `.img` of a `.hdr`/`.img` pair.
  public static func read(bytes file: [UInt8], path: String) throws
    -> NIfTIVolume
  {
    var bytes = file
    if Zlib.isGzip(bytes) {
      // Inflate the header alone first, so that the size it announces
      // bounds the memory spent on the rest.
      let head = try Zlib.inflate(
        bytes, format: .gzip, limit: 544, path: path, prefixOnly: true)
      let header = try NIfTIHeader.parse(head, path: path)
      let expected = try dataBytes(header, path: path) + header.voxelOffset
      bytes = try Zlib.inflate(
        bytes, format: .gzip, limit: expected + 1 << 20, path: path)
    }
    let header = try NIfTIHeader.parse(bytes, path: path)
    if header.singleFile {
      return try decode(
        header, bytes, dataOffset: header.voxelOffset, path: path)
    }
    // A .hdr/.img pair keeps the data in the .img file beside it.
    let imagePath = try pairedImagePath(path)
    var data = try FileBytes.read(imagePath)
    if Zlib.isGzip(data) {
      data = try Zlib.inflate(
        data, format: .gzip,
        limit: try dataBytes(header, path: path) + 1 << 20, path: imagePath)
    }
    return try decode(header, data, dataOffset: 0, path: imagePath)
  }

  static func pairedImagePath(_ path: String) throws -> String {
    let base: String
    if path.hasSuffix(".hdr.gz") {
      base = String(path.dropLast(7))
    } else if path.hasSuffix(".hdr") {
      base = String(path.dropLast(4))
    } else {
      base = path
    }
    for candidate in [base + ".img", base + ".img.gz"]
    where FileManager.default.fileExists(atPath: candidate) {
      return candidate
    }
    throw ImagingError.unreadable(
      path: path,
      reason: "the header says the data are in a separate .img file, and"
        + " \(base).img was not found beside it")
  }

  /// Bytes of the first volume, checked against the header's limits.
  static func dataBytes(_ header: NIfTIHeader, path: String) throws -> Int {
    let dims = header.dimensions
    guard let voxelBytes = header.bytesPerVoxel else {
      throw ImagingError.unsupported(
        path: path,
        found: "NIfTI datatype \(header.dataType); myoscope reads uint8 to"
          + " float64 and RGB24")
    }
    for axis in 0..<3 where !(1...100_000).contains(dims[axis]) {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI dim[\(axis + 1)]", value: "\(dims[axis])",
        expected: "1 to 100000", offset: header.version == 1 ? 42 + 2 * axis : 24 + 8 * axis)
    }
    let voxels = dims[0] * dims[1] * dims[2]
    guard voxels <= 1 << 31 else {
      throw ImagingError.invalidField(
        path: path, field: "NIfTI volume size",
        value: "\(dims[0]) x \(dims[1]) x \(dims[2])",
        expected: "at most 2^31 voxels")
    }
    return voxels * voxelBytes
  }

  static func decode(
    _ header: NIfTIHeader, _ bytes: [UInt8], dataOffset: Int, path: String
  ) throws -> NIfTIVolume {
    let count = try dataBytes(header, path: path)
    let dims = header.dimensions
    // Compared by subtraction: a NIfTI-2 vox_offset is 64-bit, and adding
    // a huge one to the data size would overflow.
    guard dataOffset >= 0, count <= bytes.count, dataOffset <= bytes.count - count else {
      throw ImagingError.truncated(
        path: path, offset: bytes.count,
        expected: "\(count) bytes of voxel data from byte \(dataOffset)"
          + " for \(dims[0]) x \(dims[1]) x \(dims[2])")
    }
    var warnings: [String] = []
    // NIfTI-2 dimensions are 64-bit, so the product of dim[4...7] can
    // overflow; it only feeds a warning, so it saturates.
    let volumes = dims[3...].reduce(1) { product, dim in
      let (next, overflow) = product.multipliedReportingOverflow(by: max(dim, 1))
      return overflow ? Int.max : next
    }
    if volumes > 1 {
      let count = volumes == Int.max ? "more than 2^63" : "\(volumes)"
      warnings.append("\(count) volumes; showing the first")
    }

    let voxels = dims[0] * dims[1] * dims[2]
    let reader = ByteReader(bytes: bytes, bigEndian: header.bigEndian)
    var values = [Float](repeating: 0, count: voxels)
    var rgb: [UInt8]?
    let base = dataOffset
    switch header.dataType {
    case 2:
      for i in 0..<voxels { values[i] = Float(bytes[base + i]) }
    case 256:
      for i in 0..<voxels {
        values[i] = Float(Int8(bitPattern: bytes[base + i]))
      }
    case 4:
      for i in 0..<voxels { values[i] = Float(reader.int16(base + 2 * i)) }
    case 512:
      for i in 0..<voxels {
        values[i] = Float(UInt16(truncatingIfNeeded: reader.unsigned(base + 2 * i, 2)))
      }
    case 8:
      for i in 0..<voxels { values[i] = Float(reader.int32(base + 4 * i)) }
    case 768:
      for i in 0..<voxels { values[i] = Float(reader.unsigned(base + 4 * i, 4)) }
    case 16:
      for i in 0..<voxels { values[i] = reader.float32(base + 4 * i) }
    case 64:
      for i in 0..<voxels { values[i] = Float(reader.float64(base + 8 * i)) }
    case 1024:
      for i in 0..<voxels { values[i] = Float(reader.int64(base + 8 * i)) }
    case 1280:
      for i in 0..<voxels { values[i] = Float(reader.unsigned(base + 8 * i, 8)) }
    case 128:
      var samples = [UInt8](repeating: 0, count: voxels * 3)
      for i in 0..<(voxels * 3) { samples[i] = bytes[base + i] }
      for i in 0..<voxels {
        values[i] =
          0.299 * Float(samples[3 * i]) + 0.587 * Float(samples[3 * i + 1])
          + 0.114 * Float(samples[3 * i + 2])
      }
      rgb = samples
    default:
      throw ImagingError.unsupported(
        path: path, found: "NIfTI datatype \(header.dataType)")
    }

    // scl_slope 0 means the stored values are used as they are.
    let slope = header.sclSlope
    if slope != 0 && slope.isFinite && header.dataType != 128 {
      let intercept = header.sclIntercept.isFinite ? header.sclIntercept : 0
      if slope != 1 || intercept != 0 {
        for i in 0..<voxels {
          values[i] = Float(Double(values[i]) * slope + intercept)
        }
      }
    }
    return NIfTIVolume(
      header: header, size: Array(dims[0..<3]), values: values, rgb: rgb,
      warnings: warnings)
  }

  /// How voxel axes map to a radiological axial display.
  public struct DisplayAxes: Sendable, Equatable {
    /// The voxel axis shown left to right.
    public var horizontal: Int
    /// The voxel axis shown top to bottom.
    public var vertical: Int
    /// The voxel axis that selects the slice.
    public var slice: Int
    /// Whether the horizontal axis runs backwards on screen.
    public var flipHorizontal: Bool
    /// Whether the vertical axis runs backwards on screen.
    public var flipVertical: Bool
  }

  /// Picks the axial axis as the voxel axis whose affine column has the
  /// largest z component, and orients the other two so that the patient's
  /// left is on the right of the screen and anterior is at the top.
  public var displayAxes: DisplayAxes {
    let affine = header.affine
    func column(_ axis: Int) -> [Double] {
      [affine[axis], affine[4 + axis], affine[8 + axis]]
    }
    let slice = (0..<3).max { abs(column($0)[2]) < abs(column($1)[2]) }!
    let others = (0..<3).filter { $0 != slice }
    let horizontal =
      abs(column(others[0])[0]) >= abs(column(others[1])[0])
      ? others[0] : others[1]
    let vertical = others[0] == horizontal ? others[1] : others[0]
    // World space is RAS+: +x is the patient's right, +y anterior. Screen
    // right should be the patient's left and screen down posterior.
    return DisplayAxes(
      horizontal: horizontal, vertical: vertical, slice: slice,
      flipHorizontal: column(horizontal)[0] > 0,
      flipVertical: column(vertical)[1] > 0)
  }

  /// The number of axial slices.
  public var sliceCount: Int { size[displayAxes.slice] }

  /// Cuts one axial slice in display orientation.
  public func slice(_ index: Int) -> ScalarImage {
    let axes = displayAxes
    let width = size[axes.horizontal]
    let height = size[axes.vertical]
    let strides = [1, size[0], size[0] * size[1]]
    var pixels = [Float](repeating: 0, count: width * height)
    var colour: [UInt8]? =
      rgb == nil ? nil : [UInt8](repeating: 0, count: width * height * 3)
    for row in 0..<height {
      let v = axes.flipVertical ? height - 1 - row : row
      for column in 0..<width {
        let h = axes.flipHorizontal ? width - 1 - column : column
        let voxel =
          h * strides[axes.horizontal] + v * strides[axes.vertical]
          + index * strides[axes.slice]
        pixels[row * width + column] = values[voxel]
        if let rgb {
          for channel in 0..<3 {
            colour![(row * width + column) * 3 + channel] =
              rgb[voxel * 3 + channel]
          }
        }
      }
    }
    let pixdim = header.pixdim
    let spacingOf = { (axis: Int) -> Double in abs(pixdim[axis + 1]) }
    var image = ScalarImage(
      width: width, height: height, values: pixels, rgb: colour,
      spacing: PixelSpacing(
        row: spacingOf(axes.vertical), column: spacingOf(axes.horizontal)),
      photometric: rgb == nil ? .monochrome2 : .rgb,
      edges: EdgeLabels(
        left: "R", right: "L", top: "A", bottom: "P"),
      warnings: warnings)
    image.metadata = [
      ("Format", "NIfTI-\(header.version)"),
      ("Size", "\(size[0]) x \(size[1]) x \(size[2])"),
      ("Data type", header.dataTypeName),
      ("Affine", header.sformCode > 0 ? "sform" : header.qformCode > 0 ? "qform" : "voxel sizes"),
    ]
    if !header.description.isEmpty {
      image.metadata.append(("Description", header.description))
    }
    return image
  }
}
