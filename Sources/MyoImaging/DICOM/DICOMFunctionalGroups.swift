/// Attributes of enhanced multi-frame images (PS3.3 section C.7.6.16),
/// looked up per frame. The frame's item of the Per-frame Functional
/// Groups Sequence comes first, then the Shared Functional Groups
/// Sequence, then the top level of the data set, where classic images
/// keep them.
struct DICOMFunctionalGroups {
  static let shared = DICOMTag(0x5200, 0x9229)
  static let perFrame = DICOMTag(0x5200, 0x9230)
  /// Pixel Measures Sequence: Pixel Spacing, Slice Thickness.
  static let pixelMeasures = DICOMTag(0x0028, 0x9110)
  /// Frame VOI LUT Sequence: Window Center and Width.
  static let frameVOILUT = DICOMTag(0x0028, 0x9132)
  /// Pixel Value Transformation Sequence: Rescale Slope and Intercept.
  static let pixelValueTransformation = DICOMTag(0x0028, 0x9145)
  /// Plane Position Sequence: Image Position (Patient).
  static let planePosition = DICOMTag(0x0020, 0x9113)
  /// Plane Orientation Sequence: Image Orientation (Patient).
  static let planeOrientation = DICOMTag(0x0020, 0x9116)

  let data: DICOMDataSet

  /// Returns the data set that contains `tag` for a frame: the macro item
  /// of the frame's functional groups, of the shared ones, or the top
  /// level. Nil when none has it.
  func dataSet(holding tag: DICOMTag, macro: DICOMTag, frame: Int)
    -> DICOMDataSet?
  {
    let frames = data.items(Self.perFrame)
    if frame < frames.count,
      let item = frames[frame].items(macro).first, item[tag] != nil
    {
      return item
    }
    if let group = data.items(Self.shared).first,
      let item = group.items(macro).first, item[tag] != nil
    {
      return item
    }
    return data[tag] != nil ? data : nil
  }

  /// Returns the numbers of `tag` for a frame, or [] when absent.
  func doubles(_ tag: DICOMTag, macro: DICOMTag, frame: Int) -> [Double] {
    dataSet(holding: tag, macro: macro, frame: frame)?.doubles(tag) ?? []
  }

  /// Whether the data set has functional groups at all.
  var isEnhanced: Bool {
    data[Self.shared] != nil || data[Self.perFrame] != nil
  }
}
