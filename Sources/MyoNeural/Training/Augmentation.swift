import Foundation
import MyoImaging

/// Random changes applied to training slices before feature extraction.
///
/// The backbone is frozen, so each augmented copy is a separate backbone
/// pass whose features are cached like those of the original slice.
public struct Augmentation: Sendable, Equatable {
  /// Augmented copies per training slice, beside the original; 0 turns
  /// augmentation off.
  public var copies: Int = 0
  /// Whether a copy may be mirrored left to right (the legs swap sides).
  public var flip: Bool = true
  /// Largest rotation in degrees, drawn uniformly from -r...r.
  public var rotationDegrees: Double = 5
  /// Largest relative scale change, drawn uniformly from 1-s...1+s.
  public var scale: Double = 0.05
  /// Largest relative change of contrast and of brightness (as a share of
  /// the window width), each drawn uniformly from -i...i.
  public var intensity: Double = 0.1
  /// The seed of the draws.
  public var seed: UInt64 = 1

  /// Creates the options; the defaults turn augmentation off.
  public init() {}

  /// The parameters of one augmented copy.
  public struct Draw: Sendable, Equatable {
    /// Mirror left to right.
    public var flip: Bool
    /// Rotation in degrees, counterclockwise as displayed.
    public var degrees: Double
    /// Scale factor about the image centre.
    public var scale: Double
    /// Contrast factor about the window centre.
    public var contrast: Double
    /// Brightness shift as a share of the window width.
    public var brightness: Double

    /// A text that identifies the draw in cache keys.
    var key: String {
      String(
        format: "f%d r%.6f s%.6f c%.6f b%.6f", flip ? 1 : 0, degrees, scale,
        contrast, brightness)
    }
  }

  /// Draws copy `copy` (from 1) of an image file, identified by its
  /// SHA-256, so that a draw does not depend on the order in which files
  /// are visited. Every slice of a multi-slice file gets the same draw.
  public func draw(fileHash: String, copy: Int) -> Draw {
    var mixed = seed
    for byte in "\(fileHash):\(copy)".utf8 {
      mixed = (mixed ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    var random = SplitMix64(seed: mixed)
    func uniform(_ limit: Double) -> Double {
      (random.nextUniform() * 2 - 1) * limit
    }
    let flipped = flip && random.nextUniform() < 0.5
    return Draw(
      flip: flipped, degrees: uniform(rotationDegrees), scale: 1 + uniform(scale),
      contrast: 1 + uniform(intensity), brightness: uniform(intensity))
  }

  /// Applies a draw: the geometric change by inverse mapping with bilinear
  /// interpolation about the image centre (pixels from outside the image
  /// take the image's lowest value, the background), then the intensity
  /// change in modality values. The result keeps the original's default
  /// window, so the intensity change survives the preprocessing.
  public static func apply(_ draw: Draw, to image: ScalarImage) -> ScalarImage {
    let width = image.width
    let height = image.height
    let window = image.defaultWindow
    let background = image.valueRange?.lowerBound ?? 0
    let angle = draw.degrees * Double.pi / 180
    let cosine = cos(angle) / draw.scale
    let sine = sin(angle) / draw.scale
    let cx = Double(width - 1) / 2
    let cy = Double(height - 1) / 2
    let centre = Float(window.center)
    let shift = Float(draw.brightness * window.width)
    let contrast = Float(draw.contrast)

    var values = [Float](repeating: background, count: width * height)
    for row in 0..<height {
      for column in 0..<width {
        // The output pixel's position in the source, by the inverse
        // rotation and scale; a flip mirrors the output column first.
        let outColumn = draw.flip ? Double(width - 1 - column) : Double(column)
        let dx = outColumn - cx
        let dy = Double(row) - cy
        let sx = cosine * dx + sine * dy + cx
        let sy = -sine * dx + cosine * dy + cy
        var value = background
        if sx >= 0, sy >= 0, sx <= Double(width - 1), sy <= Double(height - 1) {
          let x0 = Int(sx)
          let y0 = Int(sy)
          let x1 = min(x0 + 1, width - 1)
          let y1 = min(y0 + 1, height - 1)
          let fx = Float(sx - Double(x0))
          let fy = Float(sy - Double(y0))
          let top = image[x0, y0] * (1 - fx) + image[x1, y0] * fx
          let bottom = image[x0, y1] * (1 - fx) + image[x1, y1] * fx
          value = top * (1 - fy) + bottom * fy
        }
        values[row * width + column] = centre + (value - centre) * contrast + shift
      }
    }
    return ScalarImage(
      width: width, height: height, values: values, spacing: image.spacing,
      windows: [window], photometric: image.photometric, edges: image.edges)
  }
}
