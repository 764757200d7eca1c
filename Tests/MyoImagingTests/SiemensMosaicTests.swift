import Foundation
import Testing

@testable import MyoImaging

/// Siemens mosaics cut into their slices: hand-built files for the two
/// sources of the tile count, and the real mosaics of the shared data.
@Suite struct SiemensMosaicTests {
  /// Encodes a CSA image header in the SV10 form with the given elements,
  /// each with one item.
  static func csaHeader(_ elements: [(String, String)]) -> [UInt8] {
    var b = DICOMBuilder()
    b.bytes = Array("SV10".utf8) + [4, 3, 2, 1]
    b.u32(UInt32(elements.count))
    b.u32(77)
    for (name, value) in elements {
      var nameField = Array(name.utf8)
      nameField += [UInt8](repeating: 0, count: 64 - nameField.count)
      b.bytes += nameField
      b.u32(1)  // VM
      b.bytes += Array("IS".utf8) + [0, 0]  // VR
      b.u32(6)  // syngo data type
      b.u32(1)  // item count
      b.u32(77)  // check word
      let text = Array(value.utf8) + [0]
      for word in [text.count, text.count, 77, text.count] { b.u32(UInt32(word)) }
      b.bytes += text
      b.bytes += [UInt8](repeating: 0, count: (4 - text.count % 4) % 4)
    }
    return b.bytes
  }

  /// Encodes a 6 x 4 mosaic, a 2 x 2 grid of 3 x 2 tiles with three
  /// slices. Each pixel value is 10 * tile + position in the tile.
  static func mosaicFile(privateTag: Bool, csa: [UInt8]?, imageType: String)
    -> [UInt8]
  {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,0008) Image Type.
    b.text(0x0008, 0x0008, "CS", imageType)
    if privateTag {
      // (0019,0010) private creator and (0019,100A) NumberOfImagesInMosaic.
      b.text(0x0019, 0x0010, "LO", "SIEMENS MR HEADER")
      b.us(0x0019, 0x100A, 3)
    }
    b.imagePixel(rows: 4, columns: 6, allocated: 16, stored: 12)
    if let csa {
      // (0029,0010) private creator and (0029,1010) CSA Image Header Info.
      b.text(0x0029, 0x0010, "LO", "SIEMENS CSA HEADER")
      b.element(0x0029, 0x1010, "OB", csa)
    }
    var pixels: [Int] = []
    for row in 0..<4 {
      for column in 0..<6 {
        let tile = (row / 2) * 2 + column / 3
        pixels.append(tile < 3 ? 10 * tile + (row % 2) * 3 + column % 3 : 0)
      }
    }
    b.element(0x7FE0, 0x0010, "OW", b.words(pixels))
    return b.bytes
  }

  static func parse(_ bytes: [UInt8]) throws -> DICOMFile {
    try DICOMParser().parse(bytes, path: "mosaic.dcm")
  }

  @Test func privateTagCountsTiles() throws {
    let file = try Self.parse(
      Self.mosaicFile(privateTag: true, csa: nil, imageType: "ORIGINAL\\PRIMARY\\M\\MOSAIC"))
    let mosaic = try #require(SiemensMosaic.detect(file))
    #expect(mosaic == SiemensMosaic(tiles: 3, grid: 2, tileWidth: 3, tileHeight: 2))
    let slices = try DICOMImageReader.images(file)
    #expect(slices.count == 3)
    for (index, slice) in slices.enumerated() {
      #expect(slice.width == 3)
      #expect(slice.height == 2)
      #expect(slice.values == (0..<6).map { Float(10 * index + $0) })
    }
    #expect(DICOMImageReader.sliceCount(file) == 3)
  }

  @Test func csaHeaderCountsTiles() throws {
    let csa = Self.csaHeader([("EchoLinePosition", "32"), ("NumberOfImagesInMosaic", "3")])
    let file = try Self.parse(
      Self.mosaicFile(privateTag: false, csa: csa, imageType: "ORIGINAL\\PRIMARY\\M\\MOSAIC"))
    #expect(SiemensMosaic.detect(file)?.tiles == 3)
    #expect(try DICOMImageReader.images(file).map(\.width) == [3, 3, 3])
  }

  @Test func withoutMosaicTypeStaysWhole() throws {
    let file = try Self.parse(
      Self.mosaicFile(privateTag: true, csa: nil, imageType: "ORIGINAL\\PRIMARY\\M"))
    #expect(SiemensMosaic.detect(file) == nil)
    let slices = try DICOMImageReader.images(file)
    #expect(slices.count == 1)
    #expect(slices.first?.width == 6)
  }

  /// Every cut of a header leaves a damaged header that gives nil, or the
  /// right count when only the padding after it is cut, never a crash.
  @Test func damagedCSAHeaderIsIgnored() throws {
    let csa = Self.csaHeader([("EchoLinePosition", "32"), ("NumberOfImagesInMosaic", "3")])
    for length in 0..<csa.count {
      let value = CSAHeader.firstValue(of: "NumberOfImagesInMosaic", in: csa[0..<length])
      #expect(value == nil || value == "3", "header cut at \(length) bytes")
    }
    var huge = csa
    huge[8] = 0xFF
    huge[9] = 0xFF
    #expect(CSAHeader.firstValue(of: "NumberOfImagesInMosaic", in: huge[...]) == nil)
  }

  /// A tile count that does not divide the frame leaves it whole.
  @Test func countThatDoesNotFitIsIgnored() throws {
    let csa = Self.csaHeader([("NumberOfImagesInMosaic", "7")])
    let file = try Self.parse(
      Self.mosaicFile(privateTag: false, csa: csa, imageType: "ORIGINAL\\PRIMARY\\M\\MOSAIC"))
    // 7 tiles need a 3 x 3 grid, which does not divide 6 x 4.
    #expect(SiemensMosaic.detect(file) == nil)
  }

  /// The real mosaics: nine transfer syntaxes with (0019,100A) and a
  /// 12-bit file with the count only in the CSA header. Each tile k,
  /// row r, column c must equal voxel (c, 63 - r, k) of the reference
  /// NIfTI volume written by a standard converter.
  @Test(arguments: [
    ("mr-dicom-transfer-syntaxes/In/1.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/2.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/3.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/4.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/5.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/6.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/7.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/8.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-transfer-syntaxes/In/9.dcm", "mr-dicom-transfer-syntaxes/Ref/1.nii"),
    ("mr-dicom-12bit/In/12bitUnsigned.dcm", "mr-dicom-12bit/Ref/2.nii"),
  ]) func realMosaicSlicesMatchReference(dicom: String, reference: String) throws {
    guard let path = SharedData.path(dicom), let niftiPath = SharedData.path(reference)
    else {
      print(SharedData.missing(dicom))
      return
    }
    let file = try DICOMParser().parse(try FileBytes.read(path), path: path)
    #expect(SiemensMosaic.detect(file) == SiemensMosaic(tiles: 35, grid: 6, tileWidth: 64, tileHeight: 64))
    let slices = try ImageFile.readAll(path: path)
    try #require(slices.count == 35)
    let volume = try NIfTIVolume.read(path: niftiPath)
    try #require(volume.size == [64, 64, 35])
    var mismatches = 0
    for (tile, slice) in slices.enumerated() {
      for row in 0..<64 {
        for column in 0..<64 {
          let voxel = volume.values[tile * 4096 + (63 - row) * 64 + column]
          if slice[column, row] != voxel { mismatches += 1 }
        }
      }
    }
    #expect(mismatches == 0, "\(dicom): \(mismatches) pixels differ")
    #expect(slices[0].edges.left == "R")
    #expect(slices[0].edges.right == "L")
  }
}
