import Foundation

/// Where one displayable slice comes from.
public struct SliceSource: Sendable, Hashable {
  /// Path of the file.
  public var path: String
  /// Index of the frame in a DICOM file, or of the axial slice in a NIfTI
  /// volume; 0 for PNG.
  public var index: Int
  /// How many slices the file holds, when known.
  public var countInFile: Int

  /// Creates a source.
  public init(path: String, index: Int = 0, countInFile: Int = 1) {
    self.path = path
    self.index = index
    self.countInFile = countInFile
  }

  /// The file name, for messages and the info panel.
  public var fileName: String { (path as NSString).lastPathComponent }
}

/// One case: a folder of slices or a single volume or image file.
public struct CaseEntry: Sendable {
  /// The displayed name: the folder or file name.
  public var name: String
  /// Path of the case folder or file.
  public var path: String
  /// The files that make up the case; a folder case lists its files.
  public var files: [String]
}

/// Finds cases in a folder and orders their slices.
///
/// A folder whose subfolders hold images is a root of cases, one case per
/// subfolder. A folder without such subfolders is one case, unless it
/// holds only volume files (NIfTI), which are then a case each. A single
/// file opens as one case.
public enum CaseLibrary {
  /// Lists the cases under `path`; the slices are found later, per case.
  public static func cases(at path: String) throws -> [CaseEntry] {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw ImagingError.unreadable(
        path: path,
        reason: errno == ENOENT ? "no such file or folder" : FileBytes.reason(errno))
    }
    let name = (path as NSString).lastPathComponent
    guard status.st_mode & S_IFMT == S_IFDIR else {
      return [CaseEntry(name: name, path: path, files: [path])]
    }

    let entries = try listing(path)
    var subfolderCases: [CaseEntry] = []
    var looseFiles: [String] = []
    for entry in entries {
      let full = (path as NSString).appendingPathComponent(entry)
      var entryIsFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: full, isDirectory: &entryIsFolder)
      if entryIsFolder.boolValue {
        let files = try imageFiles(in: full)
        if !files.isEmpty {
          subfolderCases.append(CaseEntry(name: entry, path: full, files: files))
        }
      } else if isCandidate(entry) {
        looseFiles.append(full)
      }
    }

    if subfolderCases.isEmpty {
      let allVolumes =
        looseFiles.count > 1 && looseFiles.allSatisfy(isVolumeName)
      if allVolumes {
        return looseFiles.map {
          CaseEntry(
            name: ($0 as NSString).lastPathComponent, path: $0, files: [$0])
        }
      }
      return looseFiles.isEmpty
        ? [] : [CaseEntry(name: name, path: path, files: looseFiles)]
    }
    if !looseFiles.isEmpty {
      subfolderCases.insert(
        CaseEntry(name: name, path: path, files: looseFiles), at: 0)
    }
    return subfolderCases
  }

  /// The image files directly inside a folder, in natural name order.
  public static func imageFiles(in folder: String) throws -> [String] {
    try listing(folder).filter(isCandidate).map {
      (folder as NSString).appendingPathComponent($0)
    }.filter { path in
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
      return !isFolder.boolValue
    }
  }

  private static func listing(_ folder: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: folder)
        .filter { !$0.hasPrefix(".") }
        .sorted(by: NaturalOrder.less)
    } catch {
      // Foundation's error text names no cause; opening the folder again
      // gives the POSIX reason.
      var reason = "\(error)"
      if let handle = opendir(folder) {
        closedir(handle)
      } else {
        reason = FileBytes.reason(errno)
      }
      throw ImagingError.unreadable(
        path: folder, reason: "cannot list the folder: \(reason)")
    }
  }

  /// File names that are never slices: tables, notes, licences, label maps
  /// (`NAME.labels.png` beside a slice) and the `.img` half of a pair.
  static func isCandidate(_ name: String) -> Bool {
    let lower = name.lowercased()
    let skippedSuffixes = [
      ".csv", ".tsv", ".json", ".txt", ".md", ".html", ".pdf", ".img",
      ".img.gz", ".py", ".sh", ".xml", ".yaml", ".yml",
    ]
    if skippedSuffixes.contains(where: lower.hasSuffix) { return false }
    if lower.contains(".labels.") { return false }
    if lower.hasPrefix("license") || lower.hasPrefix("readme")
      || lower.hasPrefix("copying")
    {
      return false
    }
    return true
  }

  static func isVolumeName(_ path: String) -> Bool {
    let lower = path.lowercased()
    return lower.hasSuffix(".nii") || lower.hasSuffix(".nii.gz")
      || lower.hasSuffix(".hdr")
  }

  /// Lists the slices of a case in display order: by position along the
  /// slice normal when every file is DICOM with a position, else by
  /// instance number when every DICOM file has one, else by file name.
  /// A file that cannot be read still gets a slice, so that its error can
  /// be shown in place.
  ///
  /// When the DICOM files of the case belong to several series, only the
  /// preferred series (axial T1 first, see `SeriesGroup.preferred`) is
  /// listed; `series(of:)` returns them all.
  public static func slices(of entry: CaseEntry) -> [SliceSource] {
    slices(of: entry, series: nil)
  }

  /// Lists the slices of the series of a case whose Series Instance UID is
  /// `uid`, or of the preferred series when no series has that UID. Files
  /// that are not DICOM stay in the list.
  public static func slices(of entry: CaseEntry, series uid: String?)
    -> [SliceSource]
  {
    let groups = series(of: entry)
    let chosen = groups.first { $0.uid == uid } ?? SeriesGroup.preferred(groups)
    if groups.count > 1, let preferred = chosen {
      let inSeries = Set(preferred.slices.map(\.path))
      let others = Set(groups.flatMap { $0.slices.map(\.path) })
        .subtracting(inSeries)
      let entry = CaseEntry(
        name: entry.name, path: entry.path,
        files: entry.files.filter { !others.contains($0) })
      return orderedSlices(of: entry)
    }
    return orderedSlices(of: entry)
  }

  /// The DICOM series of a case, by series number.
  public static func series(of entry: CaseEntry) -> [SeriesGroup] {
    SeriesGroup.groups(of: entry.files)
  }

  static func orderedSlices(of entry: CaseEntry) -> [SliceSource] {
    struct Keyed {
      var sources: [SliceSource]
      var location: Double?
      var instance: Int?
      var isDICOM: Bool
    }
    var keyed: [Keyed] = []
    for file in entry.files {
      keyed.append(key(file))
    }

    func key(_ file: String) -> Keyed {
      guard let bytes = try? FileBytes.read(file) else {
        return Keyed(sources: [SliceSource(path: file)], isDICOM: false)
      }
      switch ImageFormat.sniff(bytes, path: file) {
      case .dicom:
        guard let parsed = try? DICOMParser(headerOnly: true).parse(bytes, path: file)
        else { break }
        let info = DICOMImageReader.sliceInfo(parsed)
        let frames = DICOMImageReader.sliceCount(parsed)
        return Keyed(
          sources: DICOMImageReader.sliceOrder(parsed).map {
            SliceSource(path: file, index: $0, countInFile: frames)
          },
          location: info.locationAlongNormal, instance: info.instanceNumber,
          isDICOM: true)
      case .nifti:
        guard let volume = try? NIfTIVolume.read(path: file) else { break }
        let count = volume.sliceCount
        return Keyed(
          sources: (0..<count).map {
            SliceSource(path: file, index: $0, countInFile: count)
          }, isDICOM: false)
      default:
        break
      }
      return Keyed(sources: [SliceSource(path: file)], isDICOM: false)
    }

    let allDICOM = !keyed.isEmpty && keyed.allSatisfy(\.isDICOM)
    if allDICOM && keyed.allSatisfy({ $0.location != nil }) {
      keyed.sort { $0.location! < $1.location! }
    } else if allDICOM && keyed.allSatisfy({ $0.instance != nil }) {
      keyed.sort { $0.instance! < $1.instance! }
    }
    return keyed.flatMap(\.sources)
  }
}

/// Loads slices, keeping the most recent volume and files in memory.
public final class SliceLoader: @unchecked Sendable {
  private var cache: [String: Result<[ScalarImage], ImagingError>] = [:]
  private var recent: [String] = []
  private let capacity: Int
  private let lock = NSLock()

  /// Creates a loader that keeps up to `capacity` files decoded.
  public init(capacity: Int = 64) {
    self.capacity = capacity
  }

  /// Loads one slice, or returns the error that names its file.
  public func load(_ source: SliceSource) -> Result<ScalarImage, ImagingError> {
    lock.lock()
    defer { lock.unlock() }
    let result: Result<[ScalarImage], ImagingError>
    if let cached = cache[source.path] {
      result = cached
    } else {
      result = Result {
        try ImageFile.readAll(path: source.path)
      }.mapError { error in
        error as? ImagingError
          ?? .unreadable(path: source.path, reason: "\(error)")
      }
      cache[source.path] = result
      recent.append(source.path)
      if recent.count > capacity {
        cache[recent.removeFirst()] = nil
      }
    }
    return result.flatMap { images in
      guard source.index < images.count else {
        return .failure(
          .invalidField(
            path: source.path, field: "slice index",
            value: "\(source.index + 1)", expected: "1 to \(images.count)"))
      }
      return .success(images[source.index])
    }
  }
}
