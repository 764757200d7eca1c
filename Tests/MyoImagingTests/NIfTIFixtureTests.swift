import Foundation
import Testing

@testable import MyoImaging

/// Writes NIfTI headers field by field at their byte offsets.
struct NIfTIBuilder {
  var version = 1
  var bigEndian = false
  var bytes: [UInt8]

  init(version: Int = 1, bigEndian: Bool = false) {
    self.version = version
    self.bigEndian = bigEndian
    bytes = [UInt8](repeating: 0, count: version == 1 ? 352 : 544)
    // sizeof_hdr at 0.
    put(0, UInt64(version == 1 ? 348 : 540), 4)
    if version == 1 {
      // magic "n+1" at 344; vox_offset 352 at 108.
      bytes.replaceSubrange(344..<348, with: Array("n+1\0".utf8))
      putFloat32(108, 352)
    } else {
      // magic "n+2\0\r\n\032\n" at 4; vox_offset 544 at 168.
      bytes.replaceSubrange(4..<12, with: [0x6E, 0x2B, 0x32, 0, 0x0D, 0x0A, 0x1A, 0x0A])
      put(168, 544, 8)
    }
  }

  mutating func put(_ offset: Int, _ value: UInt64, _ size: Int) {
    for index in 0..<size {
      let byte = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))
      bytes[bigEndian ? offset + size - 1 - index : offset + index] = byte
    }
  }

  mutating func putFloat32(_ offset: Int, _ value: Float) {
    put(offset, UInt64(value.bitPattern), 4)
  }

  mutating func putReal(_ offset1: Int, _ offset2: Int, _ value: Double) {
    if version == 1 { putFloat32(offset1, Float(value)) } else {
      put(offset2, value.bitPattern, 8)
    }
  }

  /// dim[0...], the data type and bitpix.
  mutating func shape(_ dims: [Int], dataType: Int, bitpix: Int) {
    let all = [dims.count] + dims
    for (index, value) in all.enumerated() {
      if version == 1 { put(40 + 2 * index, UInt64(value), 2) } else {
        put(16 + 8 * index, UInt64(value), 8)
      }
    }
    put(version == 1 ? 70 : 12, UInt64(dataType), 2)
    put(version == 1 ? 72 : 14, UInt64(bitpix), 2)
  }

  /// pixdim[1...3].
  mutating func voxel(_ sizes: [Double]) {
    for (index, size) in sizes.enumerated() {
      putReal(80 + 4 * index, 112 + 8 * index, size)
    }
  }

  /// scl_slope and scl_inter.
  mutating func scale(slope: Double, intercept: Double) {
    putReal(112, 176, slope)
    putReal(116, 184, intercept)
  }

  /// sform_code and the three srow rows.
  mutating func sform(code: Int, rows: [Double]) {
    put(version == 1 ? 254 : 348, UInt64(code), version == 1 ? 2 : 4)
    for (index, value) in rows.enumerated() {
      putReal(280 + 4 * index, 400 + 8 * index, value)
    }
  }

  /// qform_code, quatern_b/c/d and qoffset.
  mutating func qform(code: Int, quaternion: [Double], offset: [Double]) {
    put(version == 1 ? 252 : 344, UInt64(code), version == 1 ? 2 : 4)
    for (index, value) in (quaternion + offset).enumerated() {
      putReal(256 + 4 * index, 352 + 8 * index, value)
    }
  }

  mutating func int16Data(_ values: [Int]) {
    for value in values {
      var word = [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
      if bigEndian { word.reverse() }
      bytes += word
    }
  }
}

@Suite struct NIfTIFixtureTests {
  static func write(_ bytes: [UInt8], name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("myoscope-nifti-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  @Test(arguments: [(1, false), (1, true), (2, false), (2, true)])
  func int16VolumeBothOrders(version: Int, bigEndian: Bool) throws {
    var b = NIfTIBuilder(version: version, bigEndian: bigEndian)
    b.shape([3, 2, 2], dataType: 4, bitpix: 16)
    b.voxel([0.5, 0.75, 3])
    b.int16Data([1, 2, 3, 4, 5, 6, -7, 8, 9, 10, 11, 12])
    let path = try Self.write(b.bytes, name: "v\(version)\(bigEndian ? "be" : "le").nii")
    let volume = try NIfTIVolume.read(path: path)
    #expect(volume.header.version == version)
    #expect(volume.header.bigEndian == bigEndian)
    #expect(volume.size == [3, 2, 2])
    #expect(volume.values == [1, 2, 3, 4, 5, 6, -7, 8, 9, 10, 11, 12])
    // No affine codes: voxel sizes, axial axis z, both display axes
    // running backwards (positive x is the patient's right).
    #expect(volume.sliceCount == 2)
    let slice = volume.slice(1)
    #expect(slice.values == [12, 11, 10, 9, 8, -7])
    #expect(slice.spacing == PixelSpacing(row: 0.75, column: 0.5))
  }

  @Test func gzipAndScaling() throws {
    var b = NIfTIBuilder()
    b.shape([2, 1, 1], dataType: 4, bitpix: 16)
    b.scale(slope: 0.5, intercept: 10)
    b.int16Data([4, -2])
    let path = try Self.write(
      Zlib.deflate(b.bytes, format: .gzip), name: "scaled.nii.gz")
    #expect(try NIfTIVolume.read(path: path).values == [12, 9])
  }

  @Test func slopeZeroMeansNone() throws {
    var b = NIfTIBuilder()
    b.shape([2, 1, 1], dataType: 4, bitpix: 16)
    b.scale(slope: 0, intercept: 100)
    b.int16Data([4, -2])
    let path = try Self.write(b.bytes, name: "zero-slope.nii")
    #expect(try NIfTIVolume.read(path: path).values == [4, -2])
  }

  @Test func fourDimensionsReadFirstVolume() throws {
    var b = NIfTIBuilder()
    b.shape([2, 1, 1, 3], dataType: 4, bitpix: 16)
    b.int16Data([1, 2, 3, 4, 5, 6])
    let path = try Self.write(b.bytes, name: "four.nii")
    let volume = try NIfTIVolume.read(path: path)
    #expect(volume.values == [1, 2])
    #expect(volume.warnings == ["3 volumes; showing the first"])
  }

  @Test func headerImagePair() throws {
    var b = NIfTIBuilder()
    b.bytes.replaceSubrange(344..<348, with: Array("ni1\0".utf8))
    b.shape([2, 1, 1], dataType: 2, bitpix: 8)
    let header = try Self.write(Array(b.bytes.prefix(348)), name: "pair.hdr")
    _ = try Self.write([7, 9], name: "pair.img")
    #expect(try NIfTIVolume.read(path: header).values == [7, 9])
  }

  @Test func rgb24AndFloat64() throws {
    var b = NIfTIBuilder()
    b.shape([1, 1, 1], dataType: 128, bitpix: 24)
    b.bytes += [255, 0, 0]
    let volume = try NIfTIVolume.read(path: try Self.write(b.bytes, name: "rgb.nii"))
    #expect(volume.rgb == [255, 0, 0])
    var d = NIfTIBuilder()
    d.shape([1, 1, 1], dataType: 64, bitpix: 64)
    d.bytes += withUnsafeBytes(of: (2.25).bitPattern.littleEndian, Array.init)
    #expect(try NIfTIVolume.read(path: try Self.write(d.bytes, name: "f64.nii")).values == [2.25])
  }

  @Test func sformWinsOverQform() throws {
    var b = NIfTIBuilder()
    b.shape([1, 1, 1], dataType: 2, bitpix: 8)
    b.voxel([1, 1, 1])
    // The qform is a 180 degree turn about z (quaternion b, c, d = 0, 0, 1).
    b.qform(code: 1, quaternion: [0, 0, 1], offset: [0, 0, 0])
    b.sform(code: 2, rows: [2, 0, 0, 5, 0, 3, 0, 6, 0, 0, 4, 7])
    b.bytes += [0]
    let header = try NIfTIVolume.read(path: try Self.write(b.bytes, name: "s.nii")).header
    #expect(header.affine == [2, 0, 0, 5, 0, 3, 0, 6, 0, 0, 4, 7])
    var q = b
    q.sform(code: 0, rows: [Double](repeating: 0, count: 12))
    let qHeader = try NIfTIVolume.read(path: try Self.write(q.bytes, name: "q.nii")).header
    // nibabel's quaternion (0, 0, 1) affine: diag(-1, -1, 1).
    #expect(qHeader.affine == [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0])
  }

  @Test func axialAxisFromAffine() throws {
    // Voxel axis 1 points along world z (a coronal acquisition stored
    // with y as the slice axis), so axis 1 selects the axial slices.
    var b = NIfTIBuilder()
    b.shape([2, 3, 4], dataType: 2, bitpix: 8)
    b.sform(code: 1, rows: [-1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0])
    b.bytes += [UInt8](repeating: 1, count: 24)
    let volume = try NIfTIVolume.read(path: try Self.write(b.bytes, name: "c.nii"))
    let axes = volume.displayAxes
    #expect(axes.slice == 1)
    #expect(axes.horizontal == 0)
    #expect(axes.vertical == 2)
    #expect(volume.sliceCount == 3)
  }

  @Test func hugeHeaderIsRejected() throws {
    var b = NIfTIBuilder()
    b.shape([30000, 30000, 1000], dataType: 4, bitpix: 16)
    let path = try Self.write(b.bytes, name: "huge.nii")
    let error = #expect(throws: ImagingError.self) {
      try NIfTIVolume.read(path: path)
    }
    #expect(error?.description.contains("30000 x 30000 x 1000") == true)
  }

  @Test func truncatedDataNamesSize() throws {
    var b = NIfTIBuilder()
    b.shape([4, 4, 1], dataType: 4, bitpix: 16)
    b.int16Data([1, 2])
    let path = try Self.write(b.bytes, name: "short.nii")
    let error = #expect(throws: ImagingError.self) {
      try NIfTIVolume.read(path: path)
    }
    #expect(error == .truncated(
      path: path, offset: 356,
      expected: "32 bytes of voxel data from byte 352 for 4 x 4 x 1"))
  }
}
