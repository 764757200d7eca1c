import Foundation
import MyoImaging
import MyoNeural

/// The results of `classify`, as text lines or one JSON document.
struct ClassifyReport {
  struct CaseRow {
    var name: String
    var path: String
    var sources: [SliceSource]
    var result: CaseClassification
  }

  let classifier: Classifier
  var cases: [CaseRow] = []

  init(classifier: Classifier) { self.classifier = classifier }

  mutating func add(
    entry: CaseEntry, sources: [SliceSource], result: CaseClassification
  ) {
    cases.append(
      CaseRow(
        name: entry.name, path: entry.path, sources: sources, result: result))
  }

  var positiveName: String { classifier.metadata.classNames.last ?? "positive" }
  var negativeName: String {
    classifier.metadata.classNames.first ?? "negative"
  }

  /// Formats one case and its slices as text lines.
  func text(caseAt index: Int) -> String {
    let row = cases[index]
    var lines: [String] = []
    for (slice, source) in zip(row.result.slices, row.sources) {
      let frame =
        source.countInFile > 1
        ? " [\(source.index + 1)/\(source.countInFile)]" : ""
      let crop = slice.crop
      let origin = slice.cropFromROI ? "roi" : "centre"
      lines.append(
        String(
          format: "  %@%@: p=%.3f logit=%+.3f crop %@ %d,%d %dx%d",
          source.fileName, frame,
          slice.probability, slice.logit, origin, crop.x, crop.y, crop.width,
          crop.height))
    }
    let call = row.result.isPositive ? positiveName : negativeName
    lines.insert(
      String(
        format: "%@: p(%@)=%.3f -> %@ (%@ of %d slices, threshold %.2f)",
        row.name, positiveName,
        row.result.probability, call, classifier.metadata.caseRule.rawValue,
        row.result.slices.count, classifier.metadata.threshold), at: 0)
    return lines.joined(separator: "\n")
  }

  /// Formats the whole report as one JSON document.
  func json() -> String {
    var caseObjects: [[String: Any]] = []
    for row in cases {
      var slices: [[String: Any]] = []
      for (slice, source) in zip(row.result.slices, row.sources) {
        let crop = slice.crop
        slices.append([
          "file": source.path, "index": source.index,
          "probability": slice.probability,
          "logit": slice.logit,
          "crop": [
            "x": crop.x, "y": crop.y, "width": crop.width,
            "height": crop.height,
          ],
          "cropSource": slice.cropFromROI ? "roi" : "centre",
          "camAllNegative": slice.cam?.isAllNegative ?? false,
        ])
      }
      caseObjects.append([
        "case": row.name, "path": row.path,
        "probability": row.result.probability,
        "call": row.result.isPositive ? positiveName : negativeName,
        "slices": slices,
      ])
    }
    let meta = classifier.metadata
    var document: [String: Any] = [
      "model": [
        "name": meta.name, "sha256": classifier.bundleHash,
        "demo": classifier.isDemo,
        "threshold": meta.threshold, "caseRule": meta.caseRule.rawValue,
      ] as [String: Any],
      "cases": caseObjects,
    ]
    if let label = classifier.demoLabel { document["demoLabel"] = label }
    let data =
      (try? JSONSerialization.data(
        withJSONObject: document,
        options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
