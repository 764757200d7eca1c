import Foundation

/// Geometry and identity of a DICOM image, read from its header, used to
/// group files into series and order slices.
public struct DICOMSliceInfo: Sendable, Equatable {
  /// Series Instance UID (0020,000E), or "" when absent.
  public var seriesUID: String
  /// Instance Number (0020,0013).
  public var instanceNumber: Int?
  /// Image Position (Patient) (0020,0032), in millimetres.
  public var position: [Double]?
  /// Image Orientation (Patient) (0020,0037): row then column direction.
  public var orientation: [Double]?

  /// The position projected on the slice normal, the sort key of PS3.3
  /// section C.7.6.2.1.1, or nil without position and orientation.
  public var locationAlongNormal: Double? {
    guard let position, position.count == 3, let orientation,
      orientation.count == 6
    else { return nil }
    let row = Array(orientation[0..<3])
    let column = Array(orientation[3..<6])
    let normal = [
      row[1] * column[2] - row[2] * column[1],
      row[2] * column[0] - row[0] * column[2],
      row[0] * column[1] - row[1] * column[0],
    ]
    return zip(position, normal).map(*).reduce(0, +)
  }
}

/// Turns the pixel data of a DICOM file into display images.
public enum DICOMImageReader {
  /// Reads identity and geometry without decoding pixels.
  public static func sliceInfo(_ file: DICOMFile) -> DICOMSliceInfo {
    let data = file.dataSet
    let position = data.doubles(.imagePositionPatient)
    let orientation = data.doubles(.imageOrientationPatient)
    return DICOMSliceInfo(
      seriesUID: data.string(.seriesInstanceUID) ?? "",
      instanceNumber: data.integer(.instanceNumber),
      position: position.count == 3 ? position : nil,
      orientation: orientation.count == 6 ? orientation : nil)
  }

  /// Reads the pixel layout and checks it against the limits of the
  /// standard.
  public static func layout(_ file: DICOMFile) throws -> PixelLayout {
    let data = file.dataSet
    let path = file.path
    func required(_ tag: DICOMTag, _ name: String) throws -> Int {
      guard let value = data.integer(tag) else {
        throw ImagingError.invalidField(
          path: path, field: "\(name) \(tag)", value: "missing",
          expected: "a number; the file may not be an image")
      }
      return value
    }
    guard data[.pixelData] != nil else {
      let sopClass = data.string(.sopClassUID) ?? "unknown"
      throw ImagingError.invalidField(
        path: path, field: "Pixel Data (7FE0,0010)", value: "missing",
        expected: "an image; this DICOM file (SOP class \(sopClass)) has"
          + " no pixel data")
    }
    let rows = try required(.rows, "Rows")
    let columns = try required(.columns, "Columns")
    let samples = data.integer(.samplesPerPixel) ?? 1
    let allocated = try required(.bitsAllocated, "Bits Allocated")
    let stored = data.integer(.bitsStored) ?? allocated
    let signed = (data.integer(.pixelRepresentation) ?? 0) == 1
    let planar = data.integer(.planarConfiguration) ?? 0

    guard (1...65535).contains(rows), (1...65535).contains(columns) else {
      throw ImagingError.invalidField(
        path: path, field: "image size (Rows x Columns)",
        value: "\(rows) x \(columns)", expected: "1 to 65535 each")
    }
    guard [1, 3].contains(samples) else {
      throw ImagingError.invalidField(
        path: path, field: "Samples per Pixel (0028,0002)",
        value: "\(samples)", expected: "1 or 3")
    }
    guard [8, 16, 32].contains(allocated) else {
      throw ImagingError.invalidField(
        path: path, field: "Bits Allocated (0028,0100)",
        value: "\(allocated)", expected: "8, 16 or 32")
    }
    guard (1...allocated).contains(stored) else {
      throw ImagingError.invalidField(
        path: path, field: "Bits Stored (0028,0101)", value: "\(stored)",
        expected: "1 to Bits Allocated (\(allocated))")
    }
    return PixelLayout(
      rows: rows, columns: columns, samplesPerPixel: samples,
      bitsAllocated: allocated, bitsStored: stored, signed: signed,
      planarConfiguration: planar,
      photometric: data.string(.photometricInterpretation) ?? "MONOCHROME2")
  }

  /// The number of frames, at least 1.
  public static func frameCount(_ file: DICOMFile) -> Int {
    max(1, file.dataSet.integer(.numberOfFrames) ?? 1)
  }

  /// Counts the slices the viewer pages through: the tiles of a Siemens
  /// mosaic, else the frames.
  /// The count is bounded by the frames the file's bytes can hold, so a
  /// huge Number of Frames cannot make a slice list fill memory. Loading a
  /// frame that is not there reports the truncation.
  public static func sliceCount(_ file: DICOMFile) -> Int {
    if let mosaic = SiemensMosaic.detect(file) { return mosaic.tiles }
    return min(frameCount(file), framesPresent(file))
  }

  /// Returns the order in which to show the slices of a file. The frames
  /// of an enhanced multi-frame image are sorted by Plane Position along
  /// the slice normal when every frame has a position and an orientation
  /// and no two share a position. Otherwise, as with several echoes or
  /// time points at one position, the frames keep file order.
  public static func sliceOrder(_ file: DICOMFile) -> [Int] {
    let count = sliceCount(file)
    let groups = DICOMFunctionalGroups(data: file.dataSet)
    guard count > 1, SiemensMosaic.detect(file) == nil, groups.isEnhanced else {
      return Array(0..<count)
    }
    var keyed: [(frame: Int, location: Double)] = []
    for frame in 0..<count {
      let info = DICOMSliceInfo(
        seriesUID: "", instanceNumber: nil,
        position: groups.doubles(
          .imagePositionPatient, macro: DICOMFunctionalGroups.planePosition,
          frame: frame),
        orientation: groups.doubles(
          .imageOrientationPatient,
          macro: DICOMFunctionalGroups.planeOrientation, frame: frame))
      guard let location = info.locationAlongNormal else {
        return Array(0..<count)
      }
      keyed.append((frame, location))
    }
    guard Set(keyed.map(\.location)).count == count else {
      return Array(0..<count)
    }
    return keyed.sorted { $0.location < $1.location }.map(\.frame)
  }

  /// Counts the frames the pixel data can hold, at least 1: whole native
  /// frames, or one 8-byte item header per compressed frame.
  static func framesPresent(_ file: DICOMFile) -> Int {
    guard let element = file.dataSet[.pixelData],
      let layout = try? layout(file), layout.frameBytes > 0
    else { return 1 }
    let perFrame = element.fragments != nil ? 8 : layout.frameBytes
    return max(1, element.valueRange.count / perFrame)
  }

  /// Decodes every slice in radiological display orientation: each frame,
  /// or each tile of a Siemens mosaic, whose frame is decoded once.
  public static func images(_ file: DICOMFile) throws -> [ScalarImage] {
    if let mosaic = SiemensMosaic.detect(file) {
      let whole = try image(file, frame: 0, orient: false)
      return (0..<mosaic.tiles).map {
        orientRadiologically(mosaic.tile($0, of: whole), data: file.dataSet)
      }
    }
    // A loop, not a map over the range: a map reserves room for every
    // declared frame before the first missing one stops it.
    var result: [ScalarImage] = []
    for frame in 0..<frameCount(file) {
      result.append(try image(file, frame: frame))
    }
    return result
  }

  /// Decodes one frame into an image in radiological display orientation,
  /// or in the file's row and column order when `orient` is false.
  public static func image(
    _ file: DICOMFile, frame: Int = 0, orient: Bool = true
  ) throws -> ScalarImage {
    let data = file.dataSet
    let path = file.path
    var layout = try layout(file)
    let frames = frameCount(file)
    guard (0..<frames).contains(frame) else {
      throw ImagingError.invalidField(
        path: path, field: "frame index", value: "\(frame + 1)",
        expected: "1 to \(frames)")
    }
    guard let pixelElement = data[.pixelData] else {
      throw ImagingError.invalidField(
        path: path, field: "Pixel Data (7FE0,0010)", value: "missing",
        expected: "pixel data; the file may not be an image")
    }

    // Uncompressed YBR_FULL_422 stores Y1 Y2 Cb Cr for each pair of
    // pixels (PS3.3 section C.7.6.3.1.2): two bytes per pixel, expanded
    // here to YBR_FULL.
    var photometricText =
      data.string(.photometricInterpretation) ?? "MONOCHROME2"
    let packed422 =
      pixelElement.fragments == nil && photometricText == "YBR_FULL_422"
      && layout.samplesPerPixel == 3 && layout.bitsAllocated == 8
      && layout.columns % 2 == 0
    var fetched = layout
    if packed422 { fetched.samplesPerPixel = 2 }
    var native = try frameBytes(
      file, element: pixelElement, layout: fetched, frame: frame,
      frames: frames)
    if packed422 {
      native = ArraySlice(Self.expand422(native))
      photometricText = "YBR_FULL"
      layout.planarConfiguration = 0
    }
    // Codecs return interleaved samples; JPEG, JPEG-LS and JPEG 2000
    // decoders also undo the colour transform, so YBR_FULL_422, YBR_ICT
    // and YBR_RCT come out as RGB.
    if pixelElement.fragments != nil {
      layout.planarConfiguration = 0
      if photometricText.hasPrefix("YBR")
        && file.transferSyntax.uid != "1.2.840.10008.1.2.5"
      {
        photometricText = "RGB"
      }
    }
    let raw = samples(
      native, layout: layout,
      bigEndian: data.bigEndian && pixelElement.fragments == nil,
      highBit: data.integer(.highBit) ?? (layout.bitsStored - 1))

    var warnings = file.warnings
    var image: ScalarImage
    if layout.samplesPerPixel == 3 {
      image = colourImage(
        raw, layout: layout, photometric: photometricText)
    } else {
      let values = modalityValues(raw, data: data, layout: layout, frame: frame)
      image = ScalarImage(
        width: layout.columns, height: layout.rows, values: values)
      image.photometric =
        photometricText == "MONOCHROME1" ? .monochrome1 : .monochrome2
      if !photometricText.hasPrefix("MONOCHROME") {
        warnings.append(
          "Photometric Interpretation '\(photometricText)' with one sample"
            + " per pixel; shown as MONOCHROME2")
      }
    }
    image.windows = windows(data, frame: frame)
    image.spacing = spacing(data, frame: frame)
    if let lut = data.items(DICOMLookupTable.voiSequence).first.flatMap({
      DICOMLookupTable.read($0, signedInput: layout.signed)
    }) {
      image.voiLUT = lut
      if image.windows.isEmpty {
        // A window over the table's input range shows the same span of
        // values, linearly, for viewers that do not apply the table.
        image.windows = [
          Window(
            center: Double(lut.firstMapped) + Double(lut.entries.count) / 2,
            width: Double(lut.entries.count),
            name: lut.explanation.isEmpty ? "VOI LUT" : lut.explanation)
        ]
      }
    }
    image.warnings = warnings
    image.metadata = metadata(file, layout: layout)
    return orient
      ? orientRadiologically(image, data: data, frame: frame) : image
  }

  /// Returns the native bytes of one frame, decoding encapsulated data.
  static func frameBytes(
    _ file: DICOMFile, element: DICOMElement, layout: PixelLayout,
    frame: Int, frames: Int
  ) throws -> ArraySlice<UInt8> {
    let buffer = file.dataSet.buffer
    if let fragments = element.fragments {
      let syntax = file.transferSyntax
      guard let codec = DICOMCodecs.registered[syntax.uid] else {
        throw ImagingError.unsupported(
          path: file.path,
          found: "pixel data compressed as \(syntax.name) (\(syntax.uid)),"
            + " which this build does not decode")
      }
      // Each frame takes at least one fragment after the offset table, so
      // a frame count above that is wrong before anything is allocated.
      guard frames <= max(fragments.count - 1, 0) else {
        throw ImagingError.invalidField(
          path: file.path, field: "Number of Frames (0028,0008)",
          value: "\(frames)",
          expected: "at most the \(max(fragments.count - 1, 0)) pixel data"
            + " fragments")
      }
      let frameData = EncapsulatedFrames.frame(
        frame, of: fragments, frames: frames, buffer: buffer)
      // A codec allocates the whole decoded frame, so its size is bounded
      // before decoding. The limits are 1 GiB, and above 64 MiB, 2048
      // times the compressed bytes. The ratio is a guess far above the
      // ratios of real lossless MR, which stay under 100.
      let decodedBytes = layout.frameBytes
      guard decodedBytes <= 1 << 30,
        decodedBytes <= 64 << 20 || decodedBytes / 2048 <= frameData.count
      else {
        throw ImagingError.invalidField(
          path: file.path, field: "image size (Rows x Columns)",
          value: "\(layout.columns) x \(layout.rows)",
          expected: "a frame that \(frameData.count) compressed bytes can"
            + " hold (at most 1 GiB decoded)")
      }
      let decoded = try codec.decode(
        frameData, layout: layout, path: file.path)
      guard decoded.count >= layout.frameBytes else {
        throw ImagingError.codecFailed(
          path: file.path, codec: syntax.name,
          message: "frame \(frame + 1) decoded to \(decoded.count) bytes,"
            + " expected \(layout.frameBytes)")
      }
      return decoded[0..<layout.frameBytes]
    }
    let size = layout.frameBytes
    let range = element.valueRange
    // Whole frames present. Comparing counts of frames, not of bytes,
    // keeps a huge Number of Frames from overflowing the product.
    let present = range.count / size
    guard present >= frames else {
      if present > frame {
        let start = range.lowerBound + size * frame
        return buffer[start..<(start + size)]
      }
      let needed = size.multipliedReportingOverflow(by: frames)
      let neededText =
        needed.overflow ? "\(frames) x \(size)" : "\(needed.partialValue)"
      throw ImagingError.truncated(
        path: file.path, offset: range.upperBound,
        expected: "\(neededText) bytes of pixel data for \(frames)"
          + " frame(s) of \(layout.columns) x \(layout.rows) x"
          + " \(layout.bitsAllocated) bits, found \(range.count)")
    }
    let start = range.lowerBound + size * frame
    return buffer[start..<(start + size)]
  }

  /// Extracts stored sample values: masks bits above the high bit, shifts
  /// them down and sign-extends signed pixels at bit `bitsStored - 1`
  /// (PS3.5 section 8.1.1).
  static func samples(
    _ bytes: ArraySlice<UInt8>, layout: PixelLayout, bigEndian: Bool,
    highBit: Int
  ) -> [Int32] {
    let count = layout.rows * layout.columns * layout.samplesPerPixel
    let stored = layout.bitsStored
    let shift = max(0, highBit + 1 - stored)
    let mask: UInt32 = stored >= 32 ? .max : (1 << UInt32(stored)) - 1
    let signBit: UInt32 = 1 << UInt32(stored - 1)
    var result = [Int32](repeating: 0, count: count)
    let signed = layout.signed
    // Masks, shifts and sign-extends one stored word.
    @inline(__always) func value(_ stored32: UInt32) -> Int32 {
      var word = (stored32 >> UInt32(shift)) & mask
      if signed && word & signBit != 0 && stored < 32 { word |= ~mask }
      return signed || stored < 32
        ? Int32(bitPattern: word) : Int32(clamping: word)
    }
    // One loop per sample size, so the per-pixel work has no branches on
    // the layout.
    bytes.withUnsafeBytes { raw in
      result.withUnsafeMutableBufferPointer { output in
        switch layout.bitsAllocated {
        case 8:
          for index in 0..<count { output[index] = value(UInt32(raw[index])) }
        case 16:
          for index in 0..<count {
            let word = raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
            let host = bigEndian ? UInt16(bigEndian: word) : UInt16(littleEndian: word)
            output[index] = value(UInt32(host))
          }
        default:
          for index in 0..<count {
            let word = raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
            output[index] = value(bigEndian ? UInt32(bigEndian: word) : UInt32(littleEndian: word))
          }
        }
      }
    }
    return result
  }

  /// Expands Y1 Y2 Cb Cr groups to Y Cb Cr per pixel.
  static func expand422(_ packed: ArraySlice<UInt8>) -> [UInt8] {
    var result = [UInt8](repeating: 0, count: packed.count / 4 * 6)
    var source = packed.startIndex
    var target = 0
    while source + 3 < packed.endIndex {
      let (y1, y2) = (packed[source], packed[source + 1])
      let (cb, cr) = (packed[source + 2], packed[source + 3])
      result[target..<(target + 6)] = [y1, cb, cr, y2, cb, cr]
      source += 4
      target += 6
    }
    return result
  }

  static func colourImage(
    _ raw: [Int32], layout: PixelLayout, photometric: String
  ) -> ScalarImage {
    let pixelCount = layout.rows * layout.columns
    let maximum = Double((1 << min(layout.bitsStored, 30)) - 1)
    var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
    var luminance = [Float](repeating: 0, count: pixelCount)
    for pixel in 0..<pixelCount {
      var sample = [Double](repeating: 0, count: 3)
      for channel in 0..<3 {
        let index =
          layout.planarConfiguration == 1
          ? channel * pixelCount + pixel : pixel * 3 + channel
        sample[channel] = Double(raw[index]) / maximum * 255
      }
      if photometric.hasPrefix("YBR") {
        // YBR_FULL to RGB, PS3.3 section C.7.6.3.1.2.
        let (y, cb, cr) = (sample[0], sample[1] - 128, sample[2] - 128)
        sample = [
          y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb,
        ]
      }
      for channel in 0..<3 {
        rgb[pixel * 3 + channel] = UInt8(
          clamping: Int(sample[channel].rounded()))
      }
      luminance[pixel] = Float(
        0.299 * sample[0] + 0.587 * sample[1] + 0.114 * sample[2])
    }
    return ScalarImage(
      width: layout.columns, height: layout.rows, values: luminance,
      rgb: rgb, photometric: .rgb)
  }

  /// Returns the rescale of a frame, from the Pixel Value Transformation
  /// of the functional groups or else the top level. Slope 1 and intercept
  /// 0 stand in for absent or unusable values.
  public static func rescale(_ data: DICOMDataSet, frame: Int)
    -> (slope: Double, intercept: Double)
  {
    let groups = DICOMFunctionalGroups(data: data)
    let macro = DICOMFunctionalGroups.pixelValueTransformation
    let slope = groups.doubles(.rescaleSlope, macro: macro, frame: frame).first
    let intercept = groups.doubles(
      .rescaleIntercept, macro: macro, frame: frame
    ).first
    let usable = slope.map { $0.isFinite && $0 != 0 } ?? false
    return (usable ? slope! : 1, intercept.map { $0.isFinite ? $0 : 0 } ?? 0)
  }

  /// Applies the Modality LUT Sequence when there is one, else the
  /// rescale slope and intercept.
  static func modalityValues(
    _ raw: [Int32], data: DICOMDataSet, layout: PixelLayout, frame: Int
  ) -> [Float] {
    if let item = data.items(DICOMLookupTable.modalitySequence).first,
      let lut = DICOMLookupTable.read(item, signedInput: layout.signed)
    {
      return raw.map { Float(lut.map(Int($0))) }
    }
    let (slope, intercept) = rescale(data, frame: frame)
    if slope == 1 && intercept == 0 { return raw.map { Float($0) } }
    return raw.map { Float(Double($0) * slope + intercept) }
  }

  static func windows(_ data: DICOMDataSet, frame: Int = 0) -> [Window] {
    let groups = DICOMFunctionalGroups(data: data)
    let source =
      groups.dataSet(
        holding: .windowCenter, macro: DICOMFunctionalGroups.frameVOILUT,
        frame: frame) ?? data
    let centers = source.doubles(.windowCenter)
    let widths = source.doubles(.windowWidth)
    let names = source.strings(.windowExplanation)
    return zip(centers, widths).enumerated().compactMap { index, pair in
      guard pair.1 >= 1 else { return nil }
      let name = index < names.count ? names[index] : "preset \(index + 1)"
      return Window(center: pair.0, width: pair.1, name: name)
    }
  }

  static func spacing(_ data: DICOMDataSet, frame: Int = 0) -> PixelSpacing {
    let values = DICOMFunctionalGroups(data: data).doubles(
      .pixelSpacing, macro: DICOMFunctionalGroups.pixelMeasures, frame: frame)
    if values.count >= 2 {
      return PixelSpacing(row: values[0], column: values[1])
    }
    let imager = data.doubles(.imagerPixelSpacing)
    if imager.count >= 2 {
      return PixelSpacing(row: imager[0], column: imager[1])
    }
    return .unit
  }

  /// Flips an axial image so that the patient's left is on the right and
  /// anterior is at the top; other planes keep the file's orientation.
  static func orientRadiologically(
    _ image: ScalarImage, data: DICOMDataSet, frame: Int = 0
  ) -> ScalarImage {
    let orientation = DICOMFunctionalGroups(data: data).doubles(
      .imageOrientationPatient, macro: DICOMFunctionalGroups.planeOrientation,
      frame: frame)
    guard orientation.count == 6 else { return image }
    let row = Array(orientation[0..<3])
    let column = Array(orientation[3..<6])
    var result = image
    result.edges = EdgeLabels(
      left: PatientDirection.label(row.map { -$0 }),
      right: PatientDirection.label(row),
      top: PatientDirection.label(column.map { -$0 }),
      bottom: PatientDirection.label(column))
    let normal = [
      row[1] * column[2] - row[2] * column[1],
      row[2] * column[0] - row[0] * column[2],
      row[0] * column[1] - row[1] * column[0],
    ]
    let axial = abs(normal[2]) >= abs(normal[0]) && abs(normal[2]) >= abs(normal[1])
    guard axial else { return result }
    // In DICOM's LPS frame, +x points to the patient's left and +y to the
    // posterior, so the row direction should have x > 0 and the column
    // direction y > 0.
    let flipHorizontal = abs(row[0]) >= abs(row[1]) ? row[0] < 0 : row[1] < 0
    let flipVertical =
      abs(column[1]) >= abs(column[0]) ? column[1] < 0 : column[0] < 0
    return result.flipped(
      horizontally: flipHorizontal, vertically: flipVertical)
  }

  static func metadata(_ file: DICOMFile, layout: PixelLayout)
    -> [(name: String, value: String)]
  {
    let data = file.dataSet
    var rows: [(name: String, value: String)] = [
      ("Format", "DICOM"),
      ("Transfer syntax", file.transferSyntax.name),
      ("Size", "\(layout.columns) x \(layout.rows)"),
      ("Bits", "\(layout.bitsStored) of \(layout.bitsAllocated)"),
    ]
    let named: [(String, DICOMTag)] = [
      ("Modality", .modality), ("Manufacturer", .manufacturer),
      ("Series", .seriesDescription), ("TR", .repetitionTime),
      ("TE", .echoTime), ("Field", .magneticFieldStrength),
      ("Thickness", .sliceThickness), ("Location", .sliceLocation),
    ]
    for (name, tag) in named {
      if let value = data.string(tag), !value.isEmpty {
        rows.append((name, value))
      }
    }
    return rows
  }
}

/// Letters for patient directions in DICOM's LPS frame.
enum PatientDirection {
  /// The letters of the one or two main axes a direction points along,
  /// strongest first, such as "L" or "LA".
  static func label(_ vector: [Double]) -> String {
    let letters: [(positive: String, negative: String)] = [
      ("L", "R"), ("P", "A"), ("H", "F"),
    ]
    let order = (0..<3).sorted { abs(vector[$0]) > abs(vector[$1]) }
    var text = ""
    for axis in order where abs(vector[axis]) > 0.25 {
      text += vector[axis] > 0 ? letters[axis].positive : letters[axis].negative
      if text.count == 2 { break }
    }
    return text
  }
}

/// Splits encapsulated fragments into frames (PS3.5 section A.4).
enum EncapsulatedFrames {
  /// Returns the bytes of one frame: by the basic offset table when it has
  /// one entry per frame, else one fragment per frame when the counts
  /// match, else by the fragments that start a codestream, else all
  /// fragments.
  static func frame(
    _ index: Int, of fragments: [Range<Int>], frames: Int, buffer: [UInt8]
  ) -> [UInt8] {
    guard fragments.count > 1 else { return [] }
    let table = fragments[0]
    let data = Array(fragments.dropFirst())
    if frames == 1 {
      return data.flatMap { buffer[$0] }
    }
    if table.count == frames * 4 {
      let offsets = (0..<frames).map { frame -> Int in
        let base = table.lowerBound + frame * 4
        return Int(buffer[base]) | Int(buffer[base + 1]) << 8
          | Int(buffer[base + 2]) << 16 | Int(buffer[base + 3]) << 24
      }
      // Offsets count from the first data fragment's item tag.
      var position = 0
      var result: [UInt8] = []
      let start = offsets[index]
      let end = index + 1 < frames ? offsets[index + 1] : Int.max
      for fragment in data {
        if position >= start && position < end {
          result.append(contentsOf: buffer[fragment])
        }
        position += 8 + fragment.count
      }
      return result
    }
    if data.count == frames {
      return Array(buffer[data[index]])
    }
    // Without an offset table, a frame starts at each fragment that opens
    // a codestream: FF D8 for JPEG and JPEG-LS, FF 4F for JPEG 2000.
    let starts = data.indices.filter { fragment in
      let range = data[fragment]
      guard range.count >= 2 else { return false }
      let marker = (buffer[range.lowerBound], buffer[range.lowerBound + 1])
      return marker == (0xFF, 0xD8) || marker == (0xFF, 0x4F)
    }
    if starts.count == frames {
      let end = index + 1 < frames ? starts[index + 1] : data.count
      return data[starts[index]..<end].flatMap { buffer[$0] }
    }
    return data.flatMap { buffer[$0] }
  }
}
