import Testing

@testable import MyoImaging

/// Inputs that the fuzz targets found to crash a reader, rebuilt field by
/// field; each must now read or fail with an error.
@Suite struct FuzzRegressionTests {
  @Test func niftiTwoHugeVolumeCount() throws {
    // NIfTI-2 with dim = 7, 3, 4, 2, 2, 2, 2, 1873497444986126336: the
    // product of dim[4...7] overflowed a 64-bit integer.
    var b = NIfTIBuilder(version: 2)
    b.shape([3, 4, 2, 2, 2, 2, 1_873_497_444_986_126_336], dataType: 2, bitpix: 8)
    b.bytes += [UInt8](repeating: 5, count: 24)
    let volume = try NIfTIVolume.read(bytes: b.bytes, path: "overflow.nii")
    #expect(volume.values.count == 24)
    #expect(volume.warnings == ["more than 2^63 volumes; showing the first"])
  }

  @Test func niftiTwoHugeVoxOffset() throws {
    // NIfTI-2 whose 64-bit vox_offset (byte 168) is near Int.max: the end
    // of the voxel data, offset plus size, overflowed.
    var b = NIfTIBuilder(version: 2)
    b.shape([2, 2, 2], dataType: 2, bitpix: 8)
    b.put(168, UInt64(Int.max - 4), 8)
    b.bytes += [UInt8](repeating: 5, count: 8)
    #expect(throws: ImagingError.self) {
      try NIfTIVolume.read(bytes: b.bytes, path: "offset.nii")
    }
  }
}
