import Foundation

/// A Siemens mosaic: one DICOM frame that contains the slices of a multi-slice
/// acquisition (EPI, diffusion) as tiles of a square grid, row by row from
/// the top left.
///
/// A frame is a mosaic when Image Type (0008,0008) contains MOSAIC. The tile
/// count is the private attribute NumberOfImagesInMosaic (0019,100A) of
/// the "SIEMENS MR HEADER" block, or else the element of that name in the
/// CSA image header (0029,1010) of the "SIEMENS CSA HEADER" block. The
/// grid has ceil(sqrt(count)) tiles a side, so a 384 x 384 frame with 35
/// slices is a 6 x 6 grid of 64 x 64 tiles with the last one empty.
public struct SiemensMosaic: Sendable, Equatable {
  /// Number of slices in the mosaic.
  public var tiles: Int
  /// Tiles per row and per column of the grid.
  public var grid: Int
  /// Width of one tile in pixels.
  public var tileWidth: Int
  /// Height of one tile in pixels.
  public var tileHeight: Int

  static let numberOfImages = DICOMTag(0x0019, 0x100A)
  static let csaImageHeader = DICOMTag(0x0029, 0x1010)
  /// The maximum tile count of a mosaic; a larger count is taken as damage.
  static let maximumTiles = 4096

  /// Returns the mosaic layout of a single-frame file, or nil when the file
  /// is not a mosaic or its tile count is missing or does not fit the frame.
  public static func detect(_ file: DICOMFile) -> SiemensMosaic? {
    let data = file.dataSet
    guard data.strings(.imageType).contains(where: { $0.uppercased() == "MOSAIC" }),
      DICOMImageReader.frameCount(file) == 1,
      let rows = data.integer(.rows), let columns = data.integer(.columns),
      let count = privateCount(data) ?? csaCount(data),
      (1...maximumTiles).contains(count)
    else { return nil }
    var grid = Int(Double(count).squareRoot().rounded(.down))
    while grid * grid < count { grid += 1 }
    guard grid > 1, rows % grid == 0, columns % grid == 0 else { return nil }
    return SiemensMosaic(
      tiles: count, grid: grid, tileWidth: columns / grid,
      tileHeight: rows / grid)
  }

  /// NumberOfImagesInMosaic from (0019,100A), read as an unsigned 16-bit
  /// value whatever VR the file gives it (UN in implicit VR files).
  static func privateCount(_ data: DICOMDataSet) -> Int? {
    guard let element = data[numberOfImages] else { return nil }
    if element.vr == "US" { return data.integer(numberOfImages) }
    guard element.valueRange.count >= 2 else { return nil }
    return Int(data.readUnsigned(at: element.valueRange.lowerBound, size: 2))
  }

  /// NumberOfImagesInMosaic from the CSA image header.
  static func csaCount(_ data: DICOMDataSet) -> Int? {
    guard let bytes = data.bytes(csaImageHeader) else { return nil }
    return CSAHeader.firstValue(of: "NumberOfImagesInMosaic", in: bytes)
      .flatMap { Int($0) }
  }

  /// Cuts tile `index` out of the whole mosaic frame, in the file's row and
  /// column order. The tile keeps the frame's windows, spacing, photometric
  /// interpretation, metadata and warnings.
  public func tile(_ index: Int, of whole: ScalarImage) -> ScalarImage {
    let left = (index % grid) * tileWidth
    let top = (index / grid) * tileHeight
    var values = [Float](repeating: 0, count: tileWidth * tileHeight)
    var rgb: [UInt8]? = whole.rgb == nil ? nil : []

    for row in 0..<tileHeight {
      let source = (top + row) * whole.width + left
      values.replaceSubrange(
        (row * tileWidth)..<((row + 1) * tileWidth),
        with: whole.values[source..<(source + tileWidth)])
      if let colour = whole.rgb {
        rgb! += colour[(source * 3)..<((source + tileWidth) * 3)]
      }
    }
    var result = ScalarImage(
      width: tileWidth, height: tileHeight, values: values, rgb: rgb,
      spacing: whole.spacing, windows: whole.windows,
      photometric: whole.photometric, edges: whole.edges,
      metadata: whole.metadata, warnings: whole.warnings)
    result.voiLUT = whole.voiLUT
    // The size row names the tile, and the tile number follows it, so that
    // both are among the first rows the info panel shows.
    let mosaicRow = (name: "Mosaic", value: "tile \(index + 1) of \(tiles)")
    if let size = result.metadata.firstIndex(where: { $0.name == "Size" }) {
      result.metadata[size].value =
        "\(tileWidth) x \(tileHeight) (mosaic \(whole.width) x \(whole.height))"
      result.metadata.insert(mosaicRow, at: size + 1)
    } else {
      result.metadata.append(mosaicRow)
    }
    return result
  }
}

/// Reads values from a Siemens CSA header in the "SV10" form, the form of
/// the syngo VB17 files read in the tests. After a count of elements, each element has a 64-byte name,
/// VM, VR, type, item count and a check word. Each item has four 32-bit
/// words (the second is the length) and the value, padded to four bytes.
/// Every length is checked against the header's size.
enum CSAHeader {
  /// The maximum count of elements or items read; the headers of the real
  /// Siemens files read in the tests have about a hundred elements.
  static let maximumCount = 1024

  /// Returns the first item of element `name`, trimmed, or nil when the
  /// header is not in the SV10 form, lacks the element or is damaged.
  static func firstValue(of name: String, in slice: ArraySlice<UInt8>) -> String? {
    let bytes = Array(slice)
    guard bytes.starts(with: Array("SV10".utf8)) else { return nil }
    func word(_ offset: Int) -> Int? {
      guard offset >= 0, offset + 4 <= bytes.count else { return nil }
      return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }
    guard let count = word(8), (1...maximumCount).contains(count) else {
      return nil
    }
    var offset = 16
    let expected = Array(name.utf8)
    for _ in 0..<count {
      guard offset + 84 <= bytes.count, let items = word(offset + 76),
        (0...maximumCount).contains(items)
      else { return nil }
      let nameBytes = bytes[offset..<(offset + 64)].prefix { $0 != 0 }
      let matches = Array(nameBytes) == expected
      offset += 84
      for item in 0..<items {
        guard let length = word(offset + 4), length >= 0,
          offset + 16 + length <= bytes.count
        else { return nil }
        if matches && item == 0 {
          let value = bytes[(offset + 16)..<(offset + 16 + length)]
            .prefix { $0 != 0 }
          let text = String(decoding: value, as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
          return text.isEmpty ? nil : text
        }
        offset += 16 + (length + 3) / 4 * 4
      }
      if matches { return nil }
    }
    return nil
  }
}
