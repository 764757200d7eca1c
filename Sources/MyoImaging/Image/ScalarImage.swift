/// Physical size of a pixel in millimetres.
public struct PixelSpacing: Sendable, Equatable {
  /// Distance between the centres of two adjacent rows.
  public var row: Double
  /// Distance between the centres of two adjacent columns.
  public var column: Double

  /// Creates a spacing; values that are not positive and finite become 1.
  public init(row: Double, column: Double) {
    self.row = row.isFinite && row > 0 ? row : 1
    self.column = column.isFinite && column > 0 ? column : 1
  }

  /// Square 1 mm pixels, used when a file gives no spacing.
  public static let unit = PixelSpacing(row: 1, column: 1)
}

/// The patient directions at the four edges of a displayed image.
///
/// Labels follow the radiological letters: R, L, A, P, H (head) and F
/// (feet). An empty label means the direction is unknown.
public struct EdgeLabels: Sendable, Equatable {
  /// Direction towards which the displayed image's left edge points.
  public var left: String
  /// Direction of the right edge.
  public var right: String
  /// Direction of the top edge.
  public var top: String
  /// Direction of the bottom edge.
  public var bottom: String

  /// Creates labels for the four edges.
  public init(left: String, right: String, top: String, bottom: String) {
    self.left = left
    self.right = right
    self.top = top
    self.bottom = bottom
  }

  /// Labels of an axial slice in radiological convention, seen from the
  /// feet: the patient's right on the left of the screen.
  public static let axialRadiological = EdgeLabels(
    left: "R", right: "L", top: "A", bottom: "P")

  /// Labels for an image whose orientation is not known.
  public static let unknown = EdgeLabels(
    left: "", right: "", top: "", bottom: "")
}

/// How stored values map to brightness.
public enum Photometric: String, Sendable, Equatable {
  /// Low values dark, high values bright.
  case monochrome2 = "MONOCHROME2"
  /// Low values bright; the display inverts after windowing.
  case monochrome1 = "MONOCHROME1"
  /// Three samples per pixel, red, green and blue.
  case rgb = "RGB"
}

/// One displayable 2-D image: modality values or colour samples, in display
/// orientation, with the metadata the viewer needs.
public struct ScalarImage: Sendable {
  /// Number of columns.
  public let width: Int
  /// Number of rows.
  public let height: Int
  /// Modality values, row-major, `[height, width]`; for RGB images the
  /// luminance of each pixel.
  public var values: [Float]
  /// Colour samples `[height, width, 3]` for RGB images, else nil.
  public var rgb: [UInt8]?
  /// Physical pixel size.
  public var spacing: PixelSpacing
  /// Window presets from the file; the first is the default.
  public var windows: [Window]
  /// How values map to brightness.
  public var photometric: Photometric
  /// Patient directions at the displayed edges.
  public var edges: EdgeLabels
  /// Descriptive name and value pairs for the info panel, in file order.
  public var metadata: [(name: String, value: String)]
  /// Problems found while reading that did not stop it.
  public var warnings: [String]
  /// The DICOM VOI LUT, when the file has one; `windows` then also holds
  /// a linear window over the table's input range.
  public var voiLUT: DICOMLookupTable?

  /// Creates an image; `values.count` must equal `width * height`.
  public init(
    width: Int, height: Int, values: [Float], rgb: [UInt8]? = nil,
    spacing: PixelSpacing = .unit, windows: [Window] = [],
    photometric: Photometric = .monochrome2,
    edges: EdgeLabels = .unknown,
    metadata: [(name: String, value: String)] = [],
    warnings: [String] = []
  ) {
    precondition(
      values.count == width * height,
      "ScalarImage: \(values.count) values for \(width) x \(height)")
    self.width = width
    self.height = height
    self.values = values
    self.rgb = rgb
    self.spacing = spacing
    self.windows = windows
    self.photometric = photometric
    self.edges = edges
    self.metadata = metadata
    self.warnings = warnings
  }

  /// The value at a column and row.
  public subscript(column: Int, row: Int) -> Float {
    values[row * width + column]
  }

  /// The smallest and largest finite value, or nil when there is none.
  public var valueRange: ClosedRange<Float>? {
    var low = Float.infinity
    var high = -Float.infinity
    for value in values where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
    return low <= high ? low...high : nil
  }

  /// The window to show first: the file's first preset, else one that
  /// covers the 0.5th to 99.5th percentile of the values.
  public var defaultWindow: Window {
    windows.first ?? Window.percentile(of: values, low: 0.005, high: 0.995)
  }

  /// Returns the image mirrored left to right and, or, top to bottom.
  public func flipped(horizontally: Bool, vertically: Bool) -> ScalarImage {
    guard horizontally || vertically else { return self }
    var result = self
    for row in 0..<height {
      let sourceRow = vertically ? height - 1 - row : row
      for column in 0..<width {
        let sourceColumn = horizontally ? width - 1 - column : column
        let target = row * width + column
        let source = sourceRow * width + sourceColumn
        result.values[target] = values[source]
        if let rgb, result.rgb != nil {
          for channel in 0..<3 {
            result.rgb![target * 3 + channel] = rgb[source * 3 + channel]
          }
        }
      }
    }
    if horizontally { swap(&result.edges.left, &result.edges.right) }
    if vertically { swap(&result.edges.top, &result.edges.bottom) }
    return result
  }
}
