import Foundation

/// The DICOM files of one series in a case folder, in slice order.
public struct SeriesGroup: Sendable, Equatable {
  /// Series Instance UID (0020,000E), or "" for files without one.
  public var uid: String
  /// Series Description (0008,103E), or "".
  public var description: String
  /// Series Number (0020,0011), when present.
  public var number: Int?
  /// Whether the slices are axial: the slice normal is closest to the
  /// patient's head-feet axis.
  public var isAxial: Bool
  /// Whether the series looks T1-weighted: "T1" in its description, or a
  /// repetition time under 1000 ms with an echo time under 30 ms.
  public var isT1: Bool
  /// The slices, ordered by position along the slice normal when every
  /// file has one, else by instance number, else by file name.
  public var slices: [SliceSource]

  /// Returns the series to open first: axial T1 before axial, axial before
  /// T1, then the one with the most slices, then the lowest series number.
  public static func preferred(_ groups: [SeriesGroup]) -> SeriesGroup? {
    groups.min { a, b in
      let scoreA = (a.isAxial ? 2 : 0) + (a.isT1 ? 1 : 0)
      let scoreB = (b.isAxial ? 2 : 0) + (b.isT1 ? 1 : 0)
      if scoreA != scoreB { return scoreA > scoreB }
      if a.slices.count != b.slices.count {
        return a.slices.count > b.slices.count
      }
      return (a.number ?? Int.max) < (b.number ?? Int.max)
    }
  }

  /// Groups the DICOM files of a case by Series Instance UID, in order of
  /// series number. Files that are not DICOM or cannot be parsed are left
  /// out.
  public static func groups(of files: [String]) -> [SeriesGroup] {
    struct Member {
      var path: String
      var frames: Int
      var order: [Int]
      var info: DICOMSliceInfo
    }
    var members: [String: [Member]] = [:]
    var firsts: [String: DICOMDataSet] = [:]
    var order: [String] = []
    for path in files {
      guard let bytes = try? FileBytes.read(path),
        DICOMParser.looksLikeDICOM(bytes),
        let file = try? DICOMParser(headerOnly: true).parse(bytes, path: path)
      else { continue }
      let info = DICOMImageReader.sliceInfo(file)
      if members[info.seriesUID] == nil {
        order.append(info.seriesUID)
        firsts[info.seriesUID] = file.dataSet
      }
      members[info.seriesUID, default: []].append(
        Member(
          path: path, frames: DICOMImageReader.sliceCount(file),
          order: DICOMImageReader.sliceOrder(file), info: info))
    }

    var result: [SeriesGroup] = []
    for uid in order {
      var list = members[uid]!
      if list.allSatisfy({ $0.info.locationAlongNormal != nil }) {
        list.sort {
          $0.info.locationAlongNormal! < $1.info.locationAlongNormal!
        }
      } else if list.allSatisfy({ $0.info.instanceNumber != nil }) {
        list.sort { $0.info.instanceNumber! < $1.info.instanceNumber! }
      }
      let data = firsts[uid]!
      let description = data.string(.seriesDescription) ?? ""
      let repetition = data.double(.repetitionTime)
      let echo = data.double(.echoTime)
      let t1Text = description.uppercased().contains("T1")
      let t1Timing = (repetition ?? .infinity) < 1000 && (echo ?? .infinity) < 30
      result.append(
        SeriesGroup(
          uid: uid, description: description,
          number: data.integer(.seriesNumber),
          isAxial: list.first.map { isAxial($0.info.orientation) } ?? false,
          isT1: t1Text || t1Timing,
          slices: list.flatMap { member in
            member.order.map {
              SliceSource(
                path: member.path, index: $0, countInFile: member.frames)
            }
          }))
    }
    return result.sorted { ($0.number ?? Int.max) < ($1.number ?? Int.max) }
  }

  static func isAxial(_ orientation: [Double]?) -> Bool {
    guard let o = orientation, o.count == 6 else { return false }
    let normal = [
      o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5],
      o[0] * o[4] - o[1] * o[3],
    ]
    return abs(normal[2]) >= abs(normal[0]) && abs(normal[2]) >= abs(normal[1])
  }
}
