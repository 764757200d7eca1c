import Foundation
import MyoImaging
import MyoNeural

/// The panel right of the slice: metadata, window presets, the classifier's
/// result, the heatmap legend, the muscle legend and the ROI verdict.
enum InfoPanel {
  /// Draws the panel; returns whether the heatmap legend fitted, with its
  /// values, so that the caller can draw a compact one where it did not.
  @discardableResult
  static func draw(
    _ state: ViewerState, image: ScalarImage?, into grid: inout CellGrid,
    rect: CellRect
  ) -> Bool {
    var legendShown = false
    let theme = state.theme
    var row = rect.y
    let x = rect.x + 1
    let width = rect.width - 2
    for line in 0..<rect.height {
      grid[rect.x, rect.y + line] = Cell(
        "\u{2502}", foreground: theme.dim, background: theme.background)
    }
    func heading(_ text: String) {
      guard row < rect.y + rect.height else { return }
      if row > rect.y { row += 1 }
      grid.write(
        text, x: x, y: row, foreground: theme.accent,
        background: theme.background, style: .bold, maxWidth: width)
      row += 1
    }
    func line(_ text: String, colour: RGB? = nil) {
      guard row < rect.y + rect.height else { return }
      grid.write(
        text, x: x, y: row, foreground: colour ?? theme.text,
        background: theme.background, maxWidth: width)
      row += 1
    }

    heading("Image")
    if let source = state.currentSource {
      let frame =
        source.countInFile > 1 ? " [\(source.index + 1)/\(source.countInFile)]" : ""
      line("File: " + source.fileName + frame)
    }
    if let image {
      for (name, value) in image.metadata.prefix(8) {
        line("\(name): \(value)")
      }
      line(
        String(
          format: "Spacing: %.2f x %.2f mm", image.spacing.column,
          image.spacing.row))
      // Problems that lenient reading read past, wrapped so that each can
      // be read whole; `myoscope info` lists any that do not fit.
      let shownWarnings = image.warnings.prefix(3)
      for warning in shownWarnings {
        for part in ViewerLayout.wrap("! " + warning, width: width).prefix(4) {
          line(part, colour: theme.error)
        }
      }
      if image.warnings.count > shownWarnings.count {
        line(
          "+\(image.warnings.count - shownWarnings.count) more: myoscope info",
          colour: theme.error)
      }

      heading("Window presets")
      let current = state.window(for: image)
      for (index, preset) in state.presets(for: image).prefix(9).enumerated() {
        let mark = preset == current ? ">" : " "
        line(
          "\(mark)\(index + 1) \(preset.name) "
            + "\(ViewerLayout.format(preset.center))/"
            + "\(ViewerLayout.format(preset.width))")
      }
    } else if state.currentSource != nil {
      line("unreadable: see the message", colour: theme.error)
    }

    heading("Classifier")
    if let job = state.job {
      let progress = job.progress
      line("\(progress.stage) \(progress.done)/\(progress.total)")
    } else if let result = state.currentClassification {
      line(String(format: "case p = %.3f", result.probability))
      if let slice = result.slice(at: state.sliceIndex) {
        line(String(format: "slice p = %.3f", slice.probability))
        if !slice.cropFromROI { line("crop: centre (no ROI)", colour: theme.dim) }
      } else if result.skipped[state.sliceIndex] != nil {
        line("slice not read: left out", colour: theme.dim)
      }
      if !result.skipped.isEmpty {
        line(
          "\(result.sliceIndices.count) of "
            + "\(result.sliceIndices.count + result.skipped.count) slices used",
          colour: theme.dim)
      }
      if let classifier = try? state.model.classifier() {
        line(classifier.bundleName, colour: theme.dim)
        if let demo = classifier.demoLabel {
          for part in ViewerLayout.wrap(demo, width: width) {
            line(part, colour: theme.error)
          }
        }
      }
    } else {
      line("c runs the model on this case", colour: theme.dim)
    }

    if state.showHeatmap, let cam = ViewerLayout.currentCAM(state) {
      heading("Heatmap (CAM)")
      if cam.isAllNegative {
        line("all negative: nothing speaks", colour: theme.dim)
        line("for dystrophinopathy", colour: theme.dim)
      } else if row < rect.y + rect.height {
        let low = cam.values.min() ?? 0
        let high = cam.values.max() ?? 0
        let barWidth = max(4, width - 2)
        for column in 0..<barWidth {
          let colour = state.theme.heatmap.colour(
            Float(column) / Float(barWidth - 1))
          grid[x + column, row] = Cell(
            " ", foreground: colour, background: colour)
        }
        row += 1
        let lowText = String(format: "%.2f", low)
        let highText = String(format: "%.2f", high)
        let gap = max(1, barWidth - lowText.count - highText.count)
        legendShown = row < rect.y + rect.height
        line(lowText + String(repeating: " ", count: gap) + highText)
        line(
          "\(state.theme.heatmap.name), opacity "
            + String(format: "%.0f%%", state.heatmapOpacity * 100),
          colour: theme.dim)
      }
    }

    if state.showLabels, let image, let source = state.currentSource {
      heading("Muscles")
      if let ids = state.labelIDs(for: image) {
        let legend = LabelMaps.legend(for: source)
        for id in Set(ids).sorted() where id != 0 {
          guard row < rect.y + rect.height else { break }
          let colour = LabelMaps.colour(for: id)
          grid[x, row] = Cell(" ", foreground: colour, background: colour)
          let name = legend[id].map { "\($0.abbreviation) \($0.name)" } ?? "label \(id)"
          grid.write(
            name, x: x + 2, y: row, foreground: theme.text,
            background: theme.background, maxWidth: width - 2)
          row += 1
        }
      } else {
        line("no label map beside this slice", colour: theme.dim)
      }
    }

    if state.showROI, let image, let roi = state.roi(for: image) {
      heading("ROI")
      line(String(format: "Otsu threshold %.1f", roi.threshold))
      if roi.separated {
        line("\(roi.legs.count) legs found")
      } else {
        for part in ViewerLayout.wrap(
          roi.reason ?? "legs cannot be separated", width: width)
        {
          line(part, colour: theme.error)
        }
      }
      // The key: what each box colour means.
      for (colour, meaning) in ROIBoxes.key(theme: theme)
      where row < rect.y + rect.height {
        grid[x, row] = Cell(" ", foreground: colour, background: colour)
        grid.write(
          meaning, x: x + 2, y: row, foreground: theme.text,
          background: theme.background, maxWidth: width - 2)
        row += 1
      }
      for warning in roi.warnings {
        for part in ViewerLayout.wrap("! " + warning, width: width) {
          line(part, colour: theme.error)
        }
      }
    }
    return legendShown
  }
}

/// The key reference drawn over the screen on `?`.
public enum HelpOverlay {
  /// One line per key or group of keys, as the overlay and the manual
  /// page show them.
  public static let lines: [String] = [
    "Up Down j k     previous, next case",
    "Left Right [ ]  previous, next slice",
    "PgUp PgDn       previous, next slice",
    "{ }             10 slices back, forward",
    "Home End        first, last slice",
    "g G             first, last case",
    "w W  l L        window width, level",
    "1-9  a          window preset, automatic",
    "i  r            invert, reset view",
    "+ - 0           zoom in, out, fit",
    "Shift+arrows    pan when zoomed",
    "space           cine playback",
    "b  m            ROI boxes, muscle labels",
    "s               next DICOM series of the case",
    "c  Esc          classify case, cancel",
    "h  o O  M       heatmap, opacity, colour map",
    "t  /            info panel, filter cases",
    "mouse           click case, wheel slices,",
    "                drag window and level",
    "q  Ctrl-C       quit",
  ]

  static func draw(into grid: inout CellGrid, theme: Theme) {
    let width = (lines.map(\.count).max() ?? 0) + 4
    let height = lines.count + 4
    let left = max(0, (grid.width - width) / 2)
    let top = max(0, (grid.height - height) / 2)
    grid.fill(
      CellRect(x: left, y: top, width: width, height: height),
      with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    grid.write(
      "Keys (any key closes)", x: left + 2, y: top + 1,
      foreground: theme.accent, background: theme.statusBackground,
      style: .bold)
    for (index, text) in lines.enumerated() {
      grid.write(
        text, x: left + 2, y: top + 3 + index, foreground: theme.text,
        background: theme.statusBackground, maxWidth: width - 3)
    }
  }
}
