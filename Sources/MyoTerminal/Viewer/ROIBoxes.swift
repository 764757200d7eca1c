import MyoImaging

/// The ROI boxes drawn over a slice, in the viewer and by
/// `myoscope render --overlay roi`: one box per leg in the theme's accent
/// colour and the box around both legs in its error colour.
public enum ROIBoxes {
  /// Returns the boxes of a result with their colours, legs first.
  public static func boxes(_ roi: ROIResult, theme: Theme)
    -> [(rect: PixelRect, colour: RGB)]
  {
    var result: [(rect: PixelRect, colour: RGB)] = roi.legs.map {
      (PixelRect(x: $0.x, y: $0.y, width: $0.width, height: $0.height), theme.accent)
    }
    if let both = roi.both {
      result.append(
        (PixelRect(x: both.x, y: both.y, width: both.width, height: both.height),
          theme.error))
    }
    return result
  }

  /// Returns the meaning of each colour, for the info panel's key.
  public static func key(theme: Theme) -> [(colour: RGB, meaning: String)] {
    [(theme.accent, "box per leg"), (theme.error, "box of both legs")]
  }
}
