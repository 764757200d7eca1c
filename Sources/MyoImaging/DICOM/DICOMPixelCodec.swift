/// The layout of one frame that a codec decodes, from the image pixel
/// module (PS3.3 section C.7.6.3).
public struct PixelLayout: Sendable, Equatable {
  /// Number of rows.
  public var rows: Int
  /// Number of columns.
  public var columns: Int
  /// Samples per pixel: 1 or 3.
  public var samplesPerPixel: Int
  /// Bits allocated per sample: 8, 16 or 32.
  public var bitsAllocated: Int
  /// Bits stored per sample.
  public var bitsStored: Int
  /// Whether samples are two's complement.
  public var signed: Bool
  /// 0 for interleaved samples, 1 for one plane per sample.
  public var planarConfiguration: Int
  /// Photometric Interpretation (0028,0004) as in the file, such as
  /// "MONOCHROME2", "RGB" or "YBR_FULL_422".
  public var photometric: String = ""

  /// Bytes of one frame in native (uncompressed) form.
  public var frameBytes: Int {
    rows * columns * samplesPerPixel * (bitsAllocated / 8)
  }
}

/// Decodes the compressed frames of encapsulated pixel data.
///
/// A codec returns the frame in native little-endian form with the layout
/// it was given, so that the rest of the pixel pipeline (masking, sign,
/// rescale, windowing) is shared with uncompressed files.
public protocol DICOMPixelCodec: Sendable {
  /// The transfer syntax UIDs the codec decodes.
  var transferSyntaxUIDs: [String] { get }
  /// Decodes the bytes of one frame, all its fragments joined.
  func decode(_ frame: [UInt8], layout: PixelLayout, path: String) throws
    -> [UInt8]
}

/// The codecs available for encapsulated transfer syntaxes.
public enum DICOMCodecs {
  /// Codecs by transfer syntax UID.
  public static let registered: [String: any DICOMPixelCodec] = {
    var table: [String: any DICOMPixelCodec] = [:]
    for codec in all {
      for uid in codec.transferSyntaxUIDs { table[uid] = codec }
    }
    return table
  }()

  /// Every codec myoscope has.
  static let all: [any DICOMPixelCodec] = [
    RLECodec(), JPEGLosslessCodec(), LibJPEGCodec(), CharLSCodec(),
    OpenJPEGCodec(),
  ]
}
