import MyoImaging

extension ViewerState {
  /// Applies a key and returns what should happen next.
  public func handle(_ key: Key) -> ViewerAction {
    if case .mouse(let event) = key { return handleMouse(event) }
    if key == .resize { return .redraw }
    if editingFilter { return handleFilter(key) }
    if showHelp {
      showHelp = false
      if key == .character("q") || key == .character("\u{03}") { return .quit }
      return .redraw
    }
    // A message stays until the next key.
    if job == nil { message = nil }
    if let job, key == .escape {
      job.cancel()
      message = "cancelling..."
      return .redraw
    }
    switch key {
    case .character("q"), .character("\u{03}"):
      return .quit
    case .down, .character("j"):
      return moveCase(1)
    case .up, .character("k"):
      return moveCase(-1)
    case .pageDown, .character("]"), .right:
      return selectSlice(sliceIndex + 1)
    case .pageUp, .character("["), .left:
      return selectSlice(sliceIndex - 1)
    case .character("}"):
      return selectSlice(sliceIndex + 10)
    case .character("{"):
      return selectSlice(sliceIndex - 10)
    case .home:
      return selectSlice(0)
    case .end:
      return selectSlice(slices.count - 1)
    case .character("g"):
      return moveCase(-cases.count)
    case .character("G"):
      return moveCase(cases.count)
    case .character("w"):
      return adjustWindow(widthFactor: 1 / 1.1, levelStep: 0)
    case .character("W"):
      return adjustWindow(widthFactor: 1.1, levelStep: 0)
    case .character("l"):
      return adjustWindow(widthFactor: 1, levelStep: -0.05)
    case .character("L"):
      return adjustWindow(widthFactor: 1, levelStep: 0.05)
    case .character("a"):
      guard case .success(let image)? = currentImage else { return .none }
      var auto = Window.percentile(of: image.values, low: 0.005, high: 0.995)
      auto.name = "auto"
      windowOverride = auto
      return .redraw
    case .character(let digit) where ("1"..."9").contains(digit):
      return choosePreset(Int(digit.value) - 0x31)
    case .character("r"):
      resetView(keepWindow: false)
      invert = false
      return .redraw
    case .character("i"):
      invert.toggle()
      return .redraw
    case .character("+"), .character("="):
      return setZoom(zoom * 1.25)
    case .character("-"):
      return setZoom(zoom / 1.25)
    case .character("0"):
      return setZoom(1)
    case .shiftLeft: return pan(dx: -1, dy: 0)
    case .shiftRight: return pan(dx: 1, dy: 0)
    case .shiftUp: return pan(dx: 0, dy: -1)
    case .shiftDown: return pan(dx: 0, dy: 1)
    case .character(" "):
      cine.toggle()
      return .redraw
    case .character("b"):
      showROI.toggle()
      return .redraw
    case .character("s"):
      return nextSeries()
    case .character("m"):
      showLabels.toggle()
      return .redraw
    case .character("h"):
      // Without colour, the blended map would only darken or lighten the
      // text shades and hide the anatomy, so it is not drawn.
      guard colorMode != .none else {
        message = "the heatmap needs colour; it is off under NO_COLOR and TERM=dumb"
        return .redraw
      }
      showHeatmap.toggle()
      if showHeatmap && currentClassification == nil {
        message = "press c to classify this case; the heatmap shows after"
      }
      return .redraw
    case .character("o"):
      heatmapOpacity = max(0.1, heatmapOpacity - 0.1)
      return .redraw
    case .character("O"):
      heatmapOpacity = min(0.9, heatmapOpacity + 0.1)
      return .redraw
    case .character("M"):
      let maps = ColorMap.all
      let index = maps.firstIndex(of: theme.heatmap) ?? 0
      theme.heatmap = maps[(index + 1) % maps.count]
      return .redraw
    case .character("c"):
      return startClassifier()
    case .character("t"):
      showInfo.toggle()
      return .redraw
    case .character("?"):
      showHelp = true
      return .redraw
    case .character("/"):
      editingFilter = true
      filter = ""
      return .redraw
    case .escape:
      if !filter.isEmpty {
        filter = ""
        return .redraw
      }
      return message == nil ? .none : clearMessage()
    default:
      return .none
    }
  }

  private func clearMessage() -> ViewerAction {
    message = nil
    return .redraw
  }

  private func choosePreset(_ index: Int) -> ViewerAction {
    guard case .success(let image)? = currentImage else { return .none }
    let presets = self.presets(for: image)
    guard presets.indices.contains(index) else {
      message = "no window preset \(index + 1); this slice has \(presets.count)"
      return .redraw
    }
    windowOverride = presets[index]
    return .redraw
  }

  private func handleFilter(_ key: Key) -> ViewerAction {
    switch key {
    case .enter:
      editingFilter = false
    case .escape:
      editingFilter = false
      filter = ""
    case .backspace:
      if !filter.isEmpty { filter.removeLast() }
    case .character(let scalar) where scalar.value >= 0x20:
      filter.unicodeScalars.append(scalar)
    case .character("\u{03}"):
      return .quit
    default:
      return .none
    }
    // Keep the selection on a visible case.
    if let first = visibleCases.first, !visibleCases.contains(caseIndex) {
      _ = selectCase(first)
    }
    return .redraw
  }

  private func handleMouse(_ event: MouseEvent) -> ViewerAction {
    let list = geometry.list
    let inList =
      event.x >= list.x && event.x < list.x + list.width && event.y >= list.y
      && event.y < list.y + list.height
    switch event.kind {
    case .press where inList:
      let visible = visibleCases
      let position = geometry.listFirst + event.y - list.y
      guard visible.indices.contains(position) else { return .none }
      return selectCase(visible[position])
    case .press:
      guard geometry.slice?.pixel(column: event.x, row: event.y) != nil,
        case .success(let image)? = currentImage
      else { return .none }
      dragStart = (event.x, event.y, window(for: image))
      return .none
    case .drag:
      guard let start = dragStart else { return .none }
      // Right widens the window, down raises the level; one column or row
      // moves it by 1% of the starting width.
      let dx = Double(event.x - start.x)
      let dy = Double(event.y - start.y)
      windowOverride = Window(
        center: start.window.center + dy * 0.01 * start.window.width,
        width: start.window.width * (1 + dx * 0.01), name: "manual")
      return .redraw
    case .release:
      dragStart = nil
      return .none
    case .wheelUp:
      return selectSlice(sliceIndex - 1)
    case .wheelDown:
      return selectSlice(sliceIndex + 1)
    }
  }
}
