import Foundation
import MyoImaging
import Testing

@testable import MyoPhantom

@Suite struct CaseWriterTests {
  /// Writes the first three cases (one per format) of a cohort.
  static func write(seed: UInt64, into folder: String) throws -> [PhantomCase] {
    let cases = Array(CohortGenerator(caseCount: 3, seed: seed).cases())
    let writer = CaseWriter(root: folder, sliceCount: 2, width: 128)
    for item in cases { try writer.write(item) }
    return cases
  }

  /// Reads every file under a folder, keyed by relative path.
  static func contents(_ folder: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)!
    for case let relative as String in enumerator {
      let path = folder + "/" + relative
      var isFolder: ObjCBool = false
      let exists = FileManager.default.fileExists(
        atPath: path, isDirectory: &isFolder)
      if exists && !isFolder.boolValue {
        result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return result
  }

  @Test func sameSeedSameBytes() throws {
    let first = try TestSupport.temporaryFolder("a")
    let second = try TestSupport.temporaryFolder("b")
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    _ = try Self.write(seed: 21, into: first)
    _ = try Self.write(seed: 21, into: second)
    let a = try Self.contents(first)
    let b = try Self.contents(second)
    #expect(a.count == b.count)
    #expect(a.count > 10)
    for (name, bytes) in a {
      #expect(b[name] == bytes, "\(name) differs")
    }
  }

  @Test func otherSeedOtherPixels() throws {
    let first = try TestSupport.temporaryFolder("c")
    let second = try TestSupport.temporaryFolder("d")
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    _ = try Self.write(seed: 1, into: first)
    _ = try Self.write(seed: 2, into: second)
    let a = try Self.contents(first)
    let b = try Self.contents(second)
    #expect(a["PH0002/slice01.png"] != b["PH0002/slice01.png"])
  }

  @Test func folderFollowsViewerConventions() throws {
    let folder = try TestSupport.temporaryFolder("e")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cases = try Self.write(seed: 3, into: folder)
    let files = try Self.contents(folder)
    for name in ["slice01.dcm", "slice01.labels.png", "slice02.dcm", "labels.csv", "grades.csv"] {
      #expect(files["PH0001/" + name] != nil, "\(name)")
    }
    for name in ["slice01.png", "slice02.labels.png"] {
      #expect(files["PH0002/" + name] != nil, "\(name)")
    }
    for name in ["volume.nii.gz", "volume.labels.nii.gz"] {
      #expect(files["PH0003/" + name] != nil, "\(name)")
    }

    // The library lists the slices and skips labels and tables.
    let entries = try CaseLibrary.cases(at: folder)
    #expect(entries.map(\.name) == ["PH0001", "PH0002", "PH0003"])
    #expect(entries[0].files.map { ($0 as NSString).lastPathComponent } == ["slice01.dcm", "slice02.dcm"])
    #expect(CaseLibrary.slices(of: entries[2]).count == 2)
    // DICOM slices sort by position along the normal, which rises with
    // the file number.
    let order = CaseLibrary.slices(of: entries[0]).map(\.fileName)
    #expect(order == ["slice01.dcm", "slice02.dcm"])

    // grades.csv has a row per muscle and side with the case's grades.
    let grades = String(decoding: files["PH0001/grades.csv"]!, as: UTF8.self)
    let rows = grades.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    #expect(rows[0] == ["muscle", "side", "grade", "fat_fraction"])
    #expect(rows.count == 1 + 2 * Muscle.allCases.count)
    for row in rows.dropFirst() {
      let muscle = try #require(Muscle(abbreviation: row[0]))
      let side = try #require(Side(rawValue: row[1]))
      #expect(row[2] == cases[0].grade(muscle, side).text)
    }
    let legend = String(decoding: files["PH0001/labels.csv"]!, as: UTF8.self)
    #expect(legend.hasPrefix("id,name,abbreviation\n1,rectus femoris,RF\n"))
  }

  /// The project's readers give back the rendered pixels and labels in
  /// display orientation for all three formats.
  @Test func readersReturnRenderedPixels() throws {
    let folder = try TestSupport.temporaryFolder("f")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cases = try Self.write(seed: 4, into: folder)
    for item in cases {
      let renderer = SliceRenderer(phantomCase: item, sliceCount: 2, width: 128)
      let slice = renderer.render(1)
      let base = folder + "/" + item.id + "/"
      let image: ScalarImage
      let labels: ScalarImage
      switch item.format {
      case .dicom:
        image = try ImageFile.readAll(path: base + "slice02.dcm")[0]
        labels = try ImageFile.readAll(path: base + "slice02.labels.png")[0]
      case .png:
        image = try ImageFile.readAll(path: base + "slice02.png")[0]
        labels = try ImageFile.readAll(path: base + "slice02.labels.png")[0]
      case .nifti:
        image = try ImageFile.readAll(path: base + "volume.nii.gz")[1]
        labels = try ImageFile.readAll(path: base + "volume.labels.nii.gz")[1]
      }
      #expect(image.width == slice.width)
      #expect(image.height == slice.height)
      #expect(image.values == slice.pixels.map(Float.init), "\(item.format)")
      #expect(labels.values == slice.labels.map(Float.init), "\(item.format)")
      if item.format != .png {
        #expect(image.spacing.column == renderer.pixelSpacing)
        #expect(image.spacing.row == renderer.pixelSpacing)
      }
    }
  }

  @Test func rootThatIsFileRejected() throws {
    let folder = try TestSupport.temporaryFolder("g")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/taken"
    #expect(FileManager.default.createFile(atPath: file, contents: Data()))
    let writer = CaseWriter(root: file, sliceCount: 1, width: 64)
    #expect(
      throws: PhantomError.folderNotCreated(
        path: file, reason: "a file of that name exists")
    ) {
      try writer.prepareRoot()
    }
  }

  @Test func manifestWrittenBesideCases() throws {
    let folder = try TestSupport.temporaryFolder("h")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cases = CohortGenerator(caseCount: 4, seed: 9).cases()
    let writer = CaseWriter(root: folder, sliceCount: 6, width: 64)
    let path = try writer.writeManifest(cases)
    #expect(path == folder + "/cases.csv")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text == CohortManifest.csv(cases, sliceCount: 6))
  }
}
