import Foundation
import MyoImaging
import MyoNeural

/// What the viewer should do after a key or a tick.
public enum ViewerAction: Equatable, Sendable {
  /// Nothing changed.
  case none
  /// The screen must be drawn again.
  case redraw
  /// Leave the viewer.
  case quit
}

/// Where the last drawn screen put its parts, for mouse events.
public struct ViewerGeometry: Equatable, Sendable {
  /// The case list's rows; row `listTop + i` shows `listFirst + i`.
  public var list = CellRect(x: 0, y: 0, width: 0, height: 0)
  /// Index into the visible cases of the list's first row.
  public var listFirst = 0
  /// The image and how cells map to pixels.
  public var slice: ComposedSlice?
}

/// The state of the case viewer: the cases, the selection, the display
/// settings, the overlays and the classifier. Key handling changes it and
/// reports what should happen next.
public final class ViewerState {
  /// Every case, in list order.
  public let cases: [CaseEntry]
  /// Colours, colour map and window presets.
  public var theme: Theme
  /// The colour mode, for the status line and rendering.
  public var colorMode: ColorMode = .truecolor
  /// Dithering in 256-colour mode.
  public var dithering: Dithering = .ordered
  /// Whether the terminal can show glyphs outside ASCII.
  public var unicode = true

  /// The selected case, an index into `cases`.
  public internal(set) var caseIndex = 0
  /// The shown slice of the selected case.
  public internal(set) var sliceIndex = 0
  /// A window chosen with the keys or the mouse, or nil for the default.
  public internal(set) var windowOverride: Window?
  /// Whether gray levels are inverted.
  public internal(set) var invert = false
  /// Magnification, 1 to 16; 1 fits the slice.
  public internal(set) var zoom: Double = 1
  /// Centre of the view as fractions of the slice.
  public internal(set) var center: (x: Double, y: Double) = (0.5, 0.5)
  /// Whether ROI boxes are drawn.
  public internal(set) var showROI = false
  /// Whether the muscle-label overlay is drawn.
  public internal(set) var showLabels = false
  /// Whether the class activation map is drawn.
  public internal(set) var showHeatmap = false
  /// Heatmap opacity, 0.1 to 0.9.
  public internal(set) var heatmapOpacity: Float = 0.45
  /// Whether the info panel is shown.
  public internal(set) var showInfo = true
  /// Whether the help overlay is shown.
  public internal(set) var showHelp = false
  /// Whether cine playback runs.
  public internal(set) var cine = false
  /// The case filter typed after `/`, and whether typing goes to it.
  public internal(set) var filter = ""
  /// Whether keys go to the filter.
  public internal(set) var editingFilter = false
  /// Cases that have been opened.
  public internal(set) var readCases: Set<Int> = [0]
  /// A short message for the status line, such as an error.
  public internal(set) var message: String?
  /// The running or last classification job.
  public internal(set) var job: ClassifierJob?
  /// Results by case path.
  public internal(set) var classifications: [String: ViewerClassification] = [:]
  /// Where the last screen put its parts.
  public var geometry = ViewerGeometry()

  var sliceLists: [Int: [SliceSource]] = [:]
  /// The DICOM series of each case, found on first use of `s`.
  var seriesLists: [Int: [SeriesGroup]] = [:]
  /// The series chosen with `s`, by case index: its Series Instance UID.
  public internal(set) var seriesChoice: [Int: String] = [:]
  let loader: SliceLoader
  let model: ModelProvider
  var lastCineStep = Date.distantPast
  var dragStart: (x: Int, y: Int, window: Window)?
  var roiCache: [SliceSource: ROIResult] = [:]
  var labelCache: [SliceSource: [UInt16]?] = [:]

  /// Creates a state for the cases.
  public init(
    cases: [CaseEntry], theme: Theme = .dark,
    loader: SliceLoader = SliceLoader(), model: ModelProvider = ModelProvider()
  ) {
    self.cases = cases
    self.theme = theme
    self.loader = loader
    self.model = model
  }

  /// Indices of the cases that match the filter, in list order.
  public var visibleCases: [Int] {
    guard !filter.isEmpty else { return Array(cases.indices) }
    let needle = filter.lowercased()
    return cases.indices.filter { cases[$0].name.lowercased().contains(needle) }
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

  /// The shown slice's source.
  public var currentSource: SliceSource? {
    let list = slices
    return list.indices.contains(sliceIndex) ? list[sliceIndex] : nil
  }

  /// The shown slice, decoded, or the error that names its file.
  public var currentImage: Result<ScalarImage, ImagingError>? {
    currentSource.map { loader.load($0) }
  }

  /// The window in effect for an image.
  public func window(for image: ScalarImage) -> Window {
    windowOverride ?? image.defaultWindow
  }

  /// The window presets for an image: the file's, then the theme's.
  public func presets(for image: ScalarImage) -> [Window] {
    image.windows + theme.windows.map { $0.window(for: image) }
  }

  /// The classification of the selected case, if it has one.
  public var currentClassification: ViewerClassification? {
    currentCase.flatMap { classifications[$0.path] }
  }

  /// The ROI of the shown slice, computed once per slice.
  public func roi(for image: ScalarImage) -> ROIResult? {
    guard let source = currentSource else { return nil }
    if let cached = roiCache[source] { return cached }
    let result = ROILocalizer.locate(image)
    roiCache[source] = result
    return result
  }

  /// The label ids of the shown slice, read once per slice.
  public func labelIDs(for image: ScalarImage) -> [UInt16]? {
    guard let source = currentSource else { return nil }
    if let cached = labelCache[source] { return cached }
    let ids = LabelMaps.ids(for: source, size: (image.width, image.height))
    labelCache[source] = ids
    return ids
  }

  /// The DICOM series of the selected case, in series number order.
  public var seriesGroups: [SeriesGroup] {
    guard cases.indices.contains(caseIndex) else { return [] }
    if let cached = seriesLists[caseIndex] { return cached }
    let found = CaseLibrary.series(of: cases[caseIndex])
    seriesLists[caseIndex] = found
    return found
  }

  // MARK: - Changes

  /// Shows the next DICOM series of the case (`s`), after the last the
  /// first; the case opens on the preferred series (axial T1).
  func nextSeries() -> ViewerAction {
    let groups = seriesGroups
    guard groups.count > 1 else {
      message = "this case has one series"
      return .redraw
    }
    let current = seriesChoice[caseIndex] ?? SeriesGroup.preferred(groups)?.uid
    let index = groups.firstIndex { $0.uid == current } ?? 0
    let next = groups[(index + 1) % groups.count]
    seriesChoice[caseIndex] = next.uid
    sliceLists[caseIndex] = CaseLibrary.slices(
      of: cases[caseIndex], series: next.uid)
    sliceIndex = 0
    resetView(keepWindow: false)
    let name = next.description.isEmpty ? "no description" : next.description
    let number = next.number.map { " #\($0)" } ?? ""
    message =
      "series \((index + 1) % groups.count + 1)/\(groups.count)\(number):"
      + " \(name), \(next.slices.count) slices"
    return .redraw
  }

  func selectCase(_ index: Int) -> ViewerAction {
    guard cases.indices.contains(index), index != caseIndex else {
      return .none
    }
    caseIndex = index
    sliceIndex = 0
    readCases.insert(index)
    resetView(keepWindow: false)
    return .redraw
  }

  /// Moves the selection by `step` within the visible cases.
  func moveCase(_ step: Int) -> ViewerAction {
    let visible = visibleCases
    guard !visible.isEmpty else { return .none }
    let position = visible.firstIndex(of: caseIndex) ?? 0
    let target = max(0, min(visible.count - 1, position + step))
    if visible.firstIndex(of: caseIndex) == nil {
      return selectCase(visible[target])
    }
    return selectCase(visible[target])
  }

  func selectSlice(_ index: Int) -> ViewerAction {
    let count = slices.count
    guard count > 0 else { return .none }
    let clamped = max(0, min(count - 1, index))
    guard clamped != sliceIndex else { return .none }
    sliceIndex = clamped
    return .redraw
  }

  func resetView(keepWindow: Bool) {
    if !keepWindow { windowOverride = nil }
    zoom = 1
    center = (0.5, 0.5)
  }

  /// Scales the window width and moves the level by a fraction of the
  /// width, starting from the window in effect.
  func adjustWindow(widthFactor: Double, levelStep: Double) -> ViewerAction {
    guard case .success(let image)? = currentImage else { return .none }
    let window = self.window(for: image)
    windowOverride = Window(
      center: window.center + levelStep * window.width,
      width: window.width * widthFactor, name: "manual")
    return .redraw
  }

  func setZoom(_ value: Double) -> ViewerAction {
    let clamped = max(1, min(16, value))
    guard clamped != zoom else { return .none }
    zoom = clamped
    if zoom == 1 { center = (0.5, 0.5) }
    return .redraw
  }

  func pan(dx: Double, dy: Double) -> ViewerAction {
    guard zoom > 1 else { return .none }
    let step = 0.1 / zoom
    center = (
      max(0, min(1, center.x + dx * step)), max(0, min(1, center.y + dy * step))
    )
    return .redraw
  }

  /// Starts classifying the selected case in the background.
  func startClassifier() -> ViewerAction {
    guard let entry = currentCase else { return .none }
    if let job, job.result == nil { return .none }
    let newJob = ClassifierJob(casePath: entry.path)
    let provider = model
    newJob.start(slices: slices, loader: loader) { try provider.classifier() }
    job = newJob
    message = nil
    return .redraw
  }

  /// Advances cine playback and collects finished classifier jobs; the
  /// run loop calls it between keys.
  public func tick(now: Date = Date()) -> ViewerAction {
    var action = ViewerAction.none
    if let job {
      if let result = job.result {
        switch result {
        case .success(let classification):
          classifications[job.casePath] = classification
          message = nil
        case .failure(NeuralError.cancelled):
          message = "classification cancelled"
        case .failure(let error):
          message = "classifier: \(error)"
        }
        self.job = nil
        action = .redraw
      } else {
        action = .redraw
      }
    }
    if cine && now.timeIntervalSince(lastCineStep) >= 0.15 {
      lastCineStep = now
      let count = slices.count
      if count > 1 {
        sliceIndex = (sliceIndex + 1) % count
        action = .redraw
      }
    }
    return action
  }

  /// Whether something changes on its own, so the run loop should wake
  /// often: a running job or cine playback.
  public var isAnimating: Bool { job != nil || cine }
}
