import Testing

@testable import MyoImaging

/// A real Siemens Dixon NIfTI-1 volume of both thighs. Expected values
/// were computed with nibabel 5 (`np.asanyarray(img.dataobj)`, indexed
/// `[x, y, z]`).
@Suite struct ThighNIfTITests {
  static let name = "thigh-dixon-siemens/0008-Dixon_TE_460_th.nii.gz"

  static func volume() throws -> NIfTIVolume? {
    guard let path = SharedData.path(name) else {
      print(SharedData.missing(name))
      return nil
    }
    return try NIfTIVolume.read(path: path)
  }

  @Test func headerMatchesNibabel() throws {
    guard let volume = try Self.volume() else { return }
    let header = volume.header
    #expect(header.version == 1)
    #expect(header.dataType == 4)
    #expect(volume.size == [512, 256, 10])
    #expect(Array(header.dimensions[3...]) == [1, 1, 1, 1])
    #expect(header.qformCode == 1)
    #expect(header.sformCode == 0)
    #expect(header.sclSlope == 0)
    #expect(header.pixdim[1] == 0.80078125)
    #expect(header.pixdim[3] == 20)
    // nibabel's affine: diagonal 0.80078125, 0.80078125, 20 and offsets
    // -201.77790833, -95.64595032, 110.
    let affine = header.affine
    #expect(affine[0] == 0.80078125)
    #expect(affine[5] == 0.80078125)
    #expect(affine[10] == 20)
    #expect(abs(affine[3] - -201.77790833) < 1e-5)
    #expect(abs(affine[7] - -95.64595032) < 1e-5)
    #expect(affine[11] == 110)
  }

  @Test func valuesMatchNibabel() throws {
    guard let volume = try Self.volume() else { return }
    // scl_slope 0 means no scaling: values are the stored int16.
    let total = volume.values.reduce(0.0) { $0 + Double($1) }
    #expect(total == 68_652_642)
    #expect(volume.values.min() == 0)
    #expect(volume.values.max() == 517)
    // Voxel [100, 50, 4] is 68 and [300, 200, 5] is 5.
    #expect(volume.values[4 * 512 * 256 + 50 * 512 + 100] == 68)
    #expect(volume.values[5 * 512 * 256 + 200 * 512 + 300] == 5)
  }

  @Test func slicesAreRadiological() throws {
    guard let volume = try Self.volume() else { return }
    #expect(volume.sliceCount == 10)
    let slice = volume.slice(4)
    #expect(slice.width == 512)
    #expect(slice.height == 256)
    #expect(slice.edges == .axialRadiological)
    #expect(slice.spacing == PixelSpacing(row: 0.80078125, column: 0.80078125))
    // The affine is RAS with positive axes, so both display axes run
    // backwards: voxel [x, y] is shown at column 511 - x, row 255 - y.
    #expect(slice[511 - 100, 255 - 50] == 68)
    #expect(volume.slice(5)[511 - 300, 255 - 200] == 5)
    #expect(slice.values.reduce(0.0) { $0 + Double($1) } == 7_590_543)
  }
}
