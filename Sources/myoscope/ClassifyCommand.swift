import Foundation
import MyoImaging
import MyoNeural

/// Classifies the cases under one or more paths with a model bundle.
enum ClassifyCommand: Command {
  static let name = "classify"
  static let summary = "classify cases with a model bundle"
  static let usage = """
    usage: myoscope classify PATH... [--model BUNDLE] [--json] [--cam DIR]
                             [--threads N]

    Classifies every case under each PATH (a folder of case folders, a
    case folder or one image) and prints each slice's probability, the
    crop it used (the region of interest of both legs, or the central
    square when none was found) and each case's probability, combined by
    the bundle's rule, with the call at the bundle's threshold.

    --model   the bundle (default MYOSCOPE_MODEL, else the shipped demo)
    --json    one JSON document on stdout instead of text
    --cam DIR write each slice's class activation map over the slice as
              DIR/CASE-SLICE.png (red and yellow: evidence for the
              positive class; min-max scaled per slice)
    --threads BLAS threads (default OPENBLAS_NUM_THREADS, else every core)

    Progress goes to stderr. Exit status: 0 when every case was
    classified, 1 when a slice or case could not be read or classified
    (the others are still printed), 2 for an invalid command line.
    """ + ClassifyTriage.usage

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    if let status = try ClassifyTriage.runIfRequested(&arguments) { return status }
    let modelPath = try ModelBundlePath.resolve(arguments.option("--model"))
    let json = arguments.flag("--json")
    let camFolder = try arguments.option("--cam")
    let threads = try BenchCommand.threadCount(
      try arguments.option("--threads"))
    let paths = try arguments.positionals()
    guard !paths.isEmpty else {
      throw UsageError.missingArgument("PATH", command: name)
    }
    BLASKernel.configureThreads(threads)
    guard BLASKernel.isVerified else {
      throw NeuralError.invalidInput(
        reason:
          "OpenBLAS (\(BLAS.coreName)) returned a wrong product; unset OPENBLAS_CORETYPE"
      )
    }
    // Listing is cheap, so when no path contains an image the command
    // fails before the model loads and prints its lines.
    let listed = paths.map { path in
      Result { try CaseLibrary.cases(at: path) }
    }
    if listed.allSatisfy({ (try? $0.get())?.isEmpty ?? true }) {
      for (path, result) in zip(paths, listed) {
        switch result {
        case .success: warn("\(ImagingError.noImages(path: path))")
        case .failure(let error): warn("\(error)")
        }
      }
      return ExitStatus.failure
    }
    let classifier = try Classifier.load(bundle: modelPath)
    if let camFolder {
      try FileManager.default.createDirectory(
        atPath: camFolder, withIntermediateDirectories: true)
    }

    var report = ClassifyReport(classifier: classifier)
    if !json, let label = classifier.demoLabel { print("DEMO MODEL: \(label)") }
    if !json {
      print(
        "model: \(classifier.bundleName) (sha256 \(classifier.bundleHash.prefix(12)))"
      )
    }
    let loader = SliceLoader()
    var failed = false
    for (path, result) in zip(paths, listed) {
      let cases: [CaseEntry]
      do {
        cases = try result.get()
      } catch {
        warn("\(error)")
        failed = true
        continue
      }
      if cases.isEmpty {
        warn("\(ImagingError.noImages(path: path))")
        failed = true
      }
      for (caseIndex, entry) in cases.enumerated() {
        var images: [ScalarImage] = []
        var sources: [SliceSource] = []
        for source in CaseLibrary.slices(of: entry) {
          switch loader.load(source) {
          case .success(let image):
            images.append(image)
            sources.append(source)
          case .failure(let error):
            warn("\(error)")
            failed = true
          }
        }
        guard !images.isEmpty else {
          warn("\(entry.path): no readable slices")
          failed = true
          continue
        }
        let label = "case \(caseIndex + 1)/\(cases.count) \(entry.name)"
        let result: CaseClassification
        do {
          // On a terminal the progress line is rewritten in place; in a
          // log it is one line per case.
          let interactive = isatty(2) != 0
          result = try classifier.classify(
            images,
            progress: { done, total in
              if interactive {
                let line = "\rclassify: \(label), slice \(done)/\(total)"
                FileHandle.standardError.write(Data(line.utf8))
              }
            }, isCancelled: { false })
          let finished =
            interactive
            ? "\r\u{1B}[K" : "classify: \(label), \(images.count) slices\n"
          FileHandle.standardError.write(Data(finished.utf8))
        } catch {
          FileHandle.standardError.write(Data("\n".utf8))
          warn("\(entry.path): \(error)")
          failed = true
          continue
        }
        report.add(entry: entry, sources: sources, result: result)
        if !json { print(report.text(caseAt: report.cases.count - 1)) }
        if let camFolder {
          for (index, slice) in result.slices.enumerated() {
            let file = "\(camFolder)/\(entry.name)-\(index + 1).png"
            try CAMOverlayWriter.write(
              image: images[index], slice: slice, to: file)
          }
        }
      }
    }
    if json { print(report.json()) }
    return failed ? ExitStatus.failure : ExitStatus.success
  }

  static func warn(_ message: String) {
    FileHandle.standardError.write(Data("myoscope: \(message)\n".utf8))
  }
}
