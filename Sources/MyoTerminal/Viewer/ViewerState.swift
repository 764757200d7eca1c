import MyoImaging

/// What the viewer should do after a key.
public enum ViewerAction: Equatable, Sendable {
  /// Nothing changed.
  case none
  /// The screen must be drawn again.
  case redraw
  /// Leave the viewer.
  case quit
}

/// The state of the case viewer: the cases, the selection and the display
/// settings. Key handling changes it and reports what should happen next.
public final class ViewerState {
  /// The cases shown in the list.
  public let cases: [CaseEntry]
  /// The selected case.
  public private(set) var caseIndex = 0
  /// The shown slice of the selected case.
  public private(set) var sliceIndex = 0
  /// A window chosen with the keys, or nil for the image's default.
  public private(set) var windowOverride: Window?
  /// The colour mode, shown in the status line.
  public var colorMode: ColorMode = .truecolor

  private var sliceLists: [Int: [SliceSource]] = [:]
  private let loader: SliceLoader

  /// Creates a state for the cases; `loader` decodes slices.
  public init(cases: [CaseEntry], loader: SliceLoader = SliceLoader()) {
    self.cases = cases
    self.loader = loader
  }

  /// The slices of the selected case, found on first use.
  public var slices: [SliceSource] {
    guard cases.indices.contains(caseIndex) else { return [] }
    if let cached = sliceLists[caseIndex] { return cached }
    let found = CaseLibrary.slices(of: cases[caseIndex])
    sliceLists[caseIndex] = found
    return found
  }

  /// The selected case, if any.
  public var currentCase: CaseEntry? {
    cases.indices.contains(caseIndex) ? cases[caseIndex] : nil
  }

  /// The shown slice, decoded, or the error that names its file.
  public var currentImage: Result<ScalarImage, ImagingError>? {
    let list = slices
    guard list.indices.contains(sliceIndex) else { return nil }
    return loader.load(list[sliceIndex])
  }

  /// The window in effect for an image.
  public func window(for image: ScalarImage) -> Window {
    windowOverride ?? image.defaultWindow
  }

  /// Applies a key and returns what should happen next.
  public func handle(_ key: Key) -> ViewerAction {
    switch key {
    case .character("q"), .character("\u{03}"):
      return .quit
    case .down, .character("j"):
      return selectCase(caseIndex + 1)
    case .up, .character("k"):
      return selectCase(caseIndex - 1)
    case .pageDown, .character("]"):
      return selectSlice(sliceIndex + 1)
    case .pageUp, .character("["):
      return selectSlice(sliceIndex - 1)
    case .character("w"):
      return adjustWindow(widthFactor: 1 / 1.1, levelStep: 0)
    case .character("W"):
      return adjustWindow(widthFactor: 1.1, levelStep: 0)
    case .character("l"):
      return adjustWindow(widthFactor: 1, levelStep: -0.05)
    case .character("L"):
      return adjustWindow(widthFactor: 1, levelStep: 0.05)
    case .character("r"):
      windowOverride = nil
      return .redraw
    case .resize:
      return .redraw
    default:
      return .none
    }
  }

  private func selectCase(_ index: Int) -> ViewerAction {
    let clamped = max(0, min(cases.count - 1, index))
    guard clamped != caseIndex else { return .none }
    caseIndex = clamped
    sliceIndex = 0
    return .redraw
  }

  private func selectSlice(_ index: Int) -> ViewerAction {
    let clamped = max(0, min(slices.count - 1, index))
    guard clamped != sliceIndex else { return .none }
    sliceIndex = clamped
    return .redraw
  }

  /// Scales the window width and moves the level by a fraction of the
  /// width, starting from the window in effect.
  private func adjustWindow(widthFactor: Double, levelStep: Double)
    -> ViewerAction
  {
    guard case .success(let image)? = currentImage else { return .none }
    var window = self.window(for: image)
    window.center += levelStep * window.width
    window = Window(
      center: window.center, width: window.width * widthFactor,
      name: "manual")
    windowOverride = window
    return .redraw
  }
}
