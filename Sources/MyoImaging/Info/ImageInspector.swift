import Foundation

/// Builds `ImageInfo` records from files.
public enum ImageInspector {
  /// DICOM attributes that identify the patient or the visit, shown only
  /// on request.
  static let identifyingTags: [(String, DICOMTag)] = [
    ("PatientName", DICOMTag(0x0010, 0x0010)),
    ("PatientID", DICOMTag(0x0010, 0x0020)),
    ("PatientBirthDate", DICOMTag(0x0010, 0x0030)),
    ("PatientSex", DICOMTag(0x0010, 0x0040)),
    ("AccessionNumber", DICOMTag(0x0008, 0x0050)),
    ("InstitutionName", DICOMTag(0x0008, 0x0080)),
    ("ReferringPhysicianName", DICOMTag(0x0008, 0x0090)),
    ("StudyDate", DICOMTag(0x0008, 0x0020)),
    ("StudyInstanceUID", DICOMTag(0x0020, 0x000D)),
    // Attributes that name the patient, the staff or the scanner, or date
    // the visit.
    ("OtherPatientIDs", DICOMTag(0x0010, 0x1000)),
    ("PatientAge", DICOMTag(0x0010, 0x1010)),
    ("PatientAddress", DICOMTag(0x0010, 0x1040)),
    ("InstitutionAddress", DICOMTag(0x0008, 0x0081)),
    ("StationName", DICOMTag(0x0008, 0x1010)),
    ("PerformingPhysicianName", DICOMTag(0x0008, 0x1050)),
    ("OperatorsName", DICOMTag(0x0008, 0x1070)),
    ("DeviceSerialNumber", DICOMTag(0x0018, 0x1000)),
    ("StudyTime", DICOMTag(0x0008, 0x0030)),
    ("SeriesDate", DICOMTag(0x0008, 0x0021)),
    ("AcquisitionDate", DICOMTag(0x0008, 0x0022)),
    ("ContentDate", DICOMTag(0x0008, 0x0023)),
    ("StudyID", DICOMTag(0x0020, 0x0010)),
  ]

  /// Describes one file; `phi` adds the identifying attributes, and
  /// `strict` turns DICOM warnings into errors.
  public static func inspect(
    path: String, phi: Bool = false, strict: Bool = false
  ) throws -> ImageInfo {
    let bytes = try FileBytes.read(path)
    switch ImageFormat.sniff(bytes, path: path) {
    case .dicom:
      return try dicom(bytes, path: path, phi: phi, strict: strict)
    case .nifti:
      return try nifti(path: path)
    case .png:
      let image = try PNGImage.image(bytes, path: path)
      return ImageInfo(
        path: path, format: "PNG", rows: image.height, columns: image.width,
        frames: 1, samplesPerPixel: image.rgb == nil ? 1 : 3,
        photometric: image.rgb == nil ? "MONOCHROME2" : "RGB",
        pixelSpacing: [1, 1], windows: image.windows.map(ImageInfo.WindowInfo.init),
        frameStatistics: [.init(index: 0, values: image.values)],
        warnings: image.warnings)
    case .unknown(let found):
      throw ImagingError.unsupported(path: path, found: found)
    }
  }

  static func dicom(
    _ bytes: [UInt8], path: String, phi: Bool, strict: Bool
  ) throws -> ImageInfo {
    let file = try DICOMParser(strict: strict).parse(bytes, path: path)
    let data = file.dataSet
    let layout = try DICOMImageReader.layout(file)
    let frames = DICOMImageReader.frameCount(file)

    // Statistics of every frame; windows and spacing of the first.
    var statistics: [ImageInfo.FrameStatistics] = []
    var warnings = file.warnings
    var windows: [Window] = []
    var spacing = PixelSpacing.unit
    for frame in 0..<frames {
      let image = try DICOMImageReader.image(file, frame: frame, orient: false)
      statistics.append(.init(index: frame, values: image.values))
      if frame == 0 {
        windows = image.windows
        spacing = image.spacing
        warnings = image.warnings
      }
    }

    var identifying: [String: String]?
    if phi {
      var values: [String: String] = [:]
      for (name, tag) in identifyingTags {
        if let value = data.string(tag) { values[name] = value }
      }
      identifying = values
    }

    let rescale = DICOMImageReader.rescale(data, frame: 0)
    let mosaic = SiemensMosaic.detect(file)
    return ImageInfo(
      path: path, format: "DICOM",
      transferSyntaxUID: file.transferSyntax.uid,
      transferSyntax: file.transferSyntax.name, rows: layout.rows,
      columns: layout.columns, frames: frames,
      samplesPerPixel: layout.samplesPerPixel,
      bitsAllocated: layout.bitsAllocated, bitsStored: layout.bitsStored,
      highBit: data.integer(.highBit) ?? layout.bitsStored - 1,
      signed: layout.signed,
      photometric: data.string(.photometricInterpretation) ?? "MONOCHROME2",
      pixelSpacing: [spacing.row, spacing.column],
      windows: windows.map(ImageInfo.WindowInfo.init),
      rescaleSlope: rescale.slope, rescaleIntercept: rescale.intercept,
      seriesInstanceUID: data.string(.seriesInstanceUID),
      seriesDescription: data.string(.seriesDescription),
      mosaicTiles: mosaic?.tiles,
      mosaicTileSize: mosaic.map { [$0.tileWidth, $0.tileHeight] },
      frameStatistics: statistics, warnings: warnings, phi: identifying)
  }

  static func nifti(path: String) throws -> ImageInfo {
    let volume = try NIfTIVolume.read(path: path)
    let header = volume.header
    let count = volume.sliceCount
    var statistics: [ImageInfo.FrameStatistics] = []
    var first: ScalarImage?
    for index in 0..<count {
      let slice = volume.slice(index)
      if first == nil { first = slice }
      statistics.append(.init(index: index, values: slice.values))
    }
    let image = first!
    return ImageInfo(
      path: path, format: "NIfTI-\(header.version)", rows: image.height,
      columns: image.width, frames: count,
      samplesPerPixel: volume.rgb == nil ? 1 : 3,
      bitsAllocated: header.bitsPerVoxel,
      photometric: volume.rgb == nil ? "MONOCHROME2" : "RGB",
      pixelSpacing: [image.spacing.row, image.spacing.column],
      windows: [ImageInfo.WindowInfo(image.defaultWindow)],
      rescaleSlope: header.sclSlope, rescaleIntercept: header.sclIntercept,
      niftiDataType: header.dataType, niftiDimensions: header.dimensions,
      affineSource: header.sformCode > 0
        ? "sform" : header.qformCode > 0 ? "qform" : "voxel sizes",
      frameStatistics: statistics, warnings: volume.warnings)
  }
}
