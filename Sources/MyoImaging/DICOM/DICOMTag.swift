/// A DICOM attribute tag, (gggg,eeee).
public struct DICOMTag: Hashable, Sendable, Comparable,
  CustomStringConvertible
{
  /// The group number.
  public let group: UInt16
  /// The element number.
  public let element: UInt16

  /// Creates a tag from its group and element numbers.
  public init(_ group: UInt16, _ element: UInt16) {
    self.group = group
    self.element = element
  }

  /// The tag as one 32-bit key, group in the high half.
  public var key: UInt32 { UInt32(group) << 16 | UInt32(element) }

  public static func < (lhs: DICOMTag, rhs: DICOMTag) -> Bool {
    lhs.key < rhs.key
  }

  public var description: String {
    "(" + hex(group) + "," + hex(element) + ")"
  }

  private func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - digits.count) + digits
  }

  /// Private tags have an odd group number (PS3.5 section 7.8).
  public var isPrivate: Bool { group & 1 == 1 }
}

extension DICOMTag {
  // File meta information (PS3.10 section 7.1).
  static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
  static let mediaStorageSOPClassUID = DICOMTag(0x0002, 0x0002)

  // Delimiters of items and sequences (PS3.5 section 7.5).
  static let item = DICOMTag(0xFFFE, 0xE000)
  static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
  static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)

  /// Specific Character Set.
  public static let specificCharacterSet = DICOMTag(0x0008, 0x0005)
  /// Image Type.
  public static let imageType = DICOMTag(0x0008, 0x0008)
  /// SOP Class UID.
  public static let sopClassUID = DICOMTag(0x0008, 0x0016)
  /// Modality.
  public static let modality = DICOMTag(0x0008, 0x0060)
  /// Study Description.
  public static let studyDescription = DICOMTag(0x0008, 0x1030)
  /// Series Description.
  public static let seriesDescription = DICOMTag(0x0008, 0x103E)
  /// Manufacturer.
  public static let manufacturer = DICOMTag(0x0008, 0x0070)
  /// Patient's Name.
  public static let patientName = DICOMTag(0x0010, 0x0010)
  /// Patient ID.
  public static let patientID = DICOMTag(0x0010, 0x0020)
  /// Scanning Sequence.
  public static let scanningSequence = DICOMTag(0x0018, 0x0020)
  /// Slice Thickness.
  public static let sliceThickness = DICOMTag(0x0018, 0x0050)
  /// Repetition Time.
  public static let repetitionTime = DICOMTag(0x0018, 0x0080)
  /// Echo Time.
  public static let echoTime = DICOMTag(0x0018, 0x0081)
  /// Magnetic Field Strength.
  public static let magneticFieldStrength = DICOMTag(0x0018, 0x0087)
  /// Imager Pixel Spacing.
  public static let imagerPixelSpacing = DICOMTag(0x0018, 0x1164)
  /// Series Instance UID.
  public static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
  /// Series Number.
  public static let seriesNumber = DICOMTag(0x0020, 0x0011)
  /// Instance Number.
  public static let instanceNumber = DICOMTag(0x0020, 0x0013)
  /// Image Position (Patient).
  public static let imagePositionPatient = DICOMTag(0x0020, 0x0032)
  /// Image Orientation (Patient).
  public static let imageOrientationPatient = DICOMTag(0x0020, 0x0037)
  /// Slice Location.
  public static let sliceLocation = DICOMTag(0x0020, 0x1041)
  /// Samples per Pixel.
  public static let samplesPerPixel = DICOMTag(0x0028, 0x0002)
  /// Photometric Interpretation.
  public static let photometricInterpretation = DICOMTag(0x0028, 0x0004)
  /// Planar Configuration.
  public static let planarConfiguration = DICOMTag(0x0028, 0x0006)
  /// Number of Frames.
  public static let numberOfFrames = DICOMTag(0x0028, 0x0008)
  /// Rows.
  public static let rows = DICOMTag(0x0028, 0x0010)
  /// Columns.
  public static let columns = DICOMTag(0x0028, 0x0011)
  /// Pixel Spacing.
  public static let pixelSpacing = DICOMTag(0x0028, 0x0030)
  /// Bits Allocated.
  public static let bitsAllocated = DICOMTag(0x0028, 0x0100)
  /// Bits Stored.
  public static let bitsStored = DICOMTag(0x0028, 0x0101)
  /// High Bit.
  public static let highBit = DICOMTag(0x0028, 0x0102)
  /// Pixel Representation.
  public static let pixelRepresentation = DICOMTag(0x0028, 0x0103)
  /// Window Center.
  public static let windowCenter = DICOMTag(0x0028, 0x1050)
  /// Window Width.
  public static let windowWidth = DICOMTag(0x0028, 0x1051)
  /// Rescale Intercept.
  public static let rescaleIntercept = DICOMTag(0x0028, 0x1052)
  /// Rescale Slope.
  public static let rescaleSlope = DICOMTag(0x0028, 0x1053)
  /// Window Center & Width Explanation.
  public static let windowExplanation = DICOMTag(0x0028, 0x1055)
  /// Pixel Data.
  public static let pixelData = DICOMTag(0x7FE0, 0x0010)
}
