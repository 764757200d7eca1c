import Foundation

/// The description of one file that `myoscope info` prints. The JSON keys
/// are the property names and are kept stable. Optional fields are left
/// out when they do not apply to the format.
public struct ImageInfo: Sendable, Codable, Equatable {
  /// Minimum, maximum and mean of one frame or slice.
  public struct FrameStatistics: Sendable, Codable, Equatable {
    /// Frame (DICOM) or axial slice (NIfTI) index, from 0.
    public var index: Int
    /// Smallest finite value.
    public var minimum: Double
    /// Largest finite value.
    public var maximum: Double
    /// Mean of the finite values.
    public var mean: Double
  }

  /// One display window.
  public struct WindowInfo: Sendable, Codable, Equatable {
    /// Window centre in modality values.
    public var center: Double
    /// Window width.
    public var width: Double
    /// The file's explanation, or "preset N".
    public var name: String
  }

  /// Path as given.
  public var path: String
  /// "DICOM", "NIfTI-1", "NIfTI-2" or "PNG".
  public var format: String
  /// Transfer syntax UID (DICOM).
  public var transferSyntaxUID: String?
  /// Readable transfer syntax name (DICOM).
  public var transferSyntax: String?
  /// Rows of a frame or axial slice.
  public var rows: Int
  /// Columns of a frame or axial slice.
  public var columns: Int
  /// Frames (DICOM) or axial slices (NIfTI); 1 for PNG.
  public var frames: Int
  /// Samples per pixel: 1 or 3.
  public var samplesPerPixel: Int
  /// Bits allocated per sample (DICOM, and the NIfTI bitpix).
  public var bitsAllocated: Int?
  /// Bits stored per sample (DICOM).
  public var bitsStored: Int?
  /// High bit (DICOM).
  public var highBit: Int?
  /// Whether samples are signed (DICOM Pixel Representation 1).
  public var signed: Bool?
  /// Photometric interpretation.
  public var photometric: String
  /// Pixel spacing in millimetres: row spacing, then column spacing.
  public var pixelSpacing: [Double]
  /// Window presets; the first is the default.
  public var windows: [WindowInfo]
  /// Rescale slope (DICOM) or scl_slope (NIfTI, 0 meaning none).
  public var rescaleSlope: Double?
  /// Rescale intercept (DICOM) or scl_inter (NIfTI).
  public var rescaleIntercept: Double?
  /// Series Instance UID (DICOM).
  public var seriesInstanceUID: String?
  /// Series Description (DICOM).
  public var seriesDescription: String?
  /// Slices in a Siemens mosaic frame (DICOM), when the frame is one.
  public var mosaicTiles: Int?
  /// Columns and rows of one mosaic tile (DICOM mosaics).
  public var mosaicTileSize: [Int]?
  /// NIfTI data type code.
  public var niftiDataType: Int?
  /// NIfTI dim[1...7].
  public var niftiDimensions: [Int]?
  /// "sform", "qform" or "voxel sizes": where the NIfTI affine comes from.
  public var affineSource: String?
  /// Per frame or slice, the modality values after masking, sign
  /// extension and rescale.
  public var frameStatistics: [FrameStatistics]
  /// Problems read past.
  public var warnings: [String]
  /// Identifying attributes, present only when requested.
  public var phi: [String: String]?
}

extension ImageInfo.FrameStatistics {
  /// Computes the statistics of the finite values; NaN when there is none.
  public init(index: Int, values: [Float]) {
    var low = Double.infinity
    var high = -Double.infinity
    var sum = 0.0
    var count = 0
    for value in values where value.isFinite {
      let v = Double(value)
      low = min(low, v)
      high = max(high, v)
      sum += v
      count += 1
    }
    self.init(
      index: index, minimum: count > 0 ? low : .nan,
      maximum: count > 0 ? high : .nan,
      mean: count > 0 ? sum / Double(count) : .nan)
  }
}

extension ImageInfo.WindowInfo {
  init(_ window: Window) {
    self.init(center: window.center, width: window.width, name: window.name)
  }
}
