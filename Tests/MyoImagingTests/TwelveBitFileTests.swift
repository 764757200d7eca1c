import Testing

@testable import MyoImaging

/// Real Siemens MR with 16 bits allocated, 12 stored and high bit 11,
/// where the unused high bits hold garbage. Expected values were computed
/// with pydicom 3 (`pixel_array`), which masks and sign-extends at bit 11.
@Suite struct TwelveBitFileTests {
  static func image(_ name: String) throws -> ScalarImage? {
    let relative = "mr-dicom-12bit/In/\(name)"
    guard let path = SharedData.path(relative) else {
      print(SharedData.missing(relative))
      return nil
    }
    let file = try DICOMParser().parse(try FileBytes.read(path), path: path)
    return try DICOMImageReader.image(file, orient: false)
  }

  static func count(_ image: ScalarImage, _ value: Float) -> Int {
    image.values.reduce(0) { $1 == value ? $0 + 1 : $0 }
  }

  static func sum(_ image: ScalarImage) -> Double {
    image.values.reduce(0) { $0 + Double($1) }
  }

  @Test func garbageHighBitsAreMasked() throws {
    // The raw words reach 0x111B; after masking the maximum is 2908.
    guard let image = try Self.image("12bitUnsigned.dcm") else { return }
    #expect(image.width == 384)
    #expect(image.height == 384)
    #expect(image.valueRange == 0...2908)
    #expect(Self.sum(image) == 39_116_505)
  }

  @Test func unsignedStripesRead3855And4095() throws {
    guard let image = try Self.image("12bitUnsigned_0x0F0F.dcm") else {
      return
    }
    #expect(image.valueRange == 0...4095)
    #expect(Self.count(image, 3855) == 232)
    #expect(Self.count(image, 4095) == 128)
    #expect(image[43, 10] == 3855)
    #expect(image[175, 383] == 4095)
    #expect(Self.sum(image) == 40_476_428)
  }

  @Test func signedStripesReadMinus241AndMinus1() throws {
    guard let image = try Self.image("12bitSigned_0x0F0F.dcm") else {
      return
    }
    #expect(image.valueRange == -2048...2047)
    #expect(Self.count(image, -241) == 232)
    #expect(Self.count(image, -1) == 128)
    #expect(image[43, 10] == -241)
    #expect(image[175, 383] == -1)
    #expect(Self.sum(image) == 38_125_324)
  }
}
