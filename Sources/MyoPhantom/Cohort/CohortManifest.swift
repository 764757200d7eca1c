/// The cohort manifest `cases.csv`: one row per case with its diagnosis,
/// subject, split, format and grades.
public enum CohortManifest {
  /// The header row's columns.
  public static let columns = [
    "case", "label", "subtype", "age", "sex", "split", "format", "slices",
    "severity", "legs_touch", "grades",
  ]

  /// The manifest text. The grades column lists `ABBR=R/L` pairs
  /// separated by spaces, such as `AM=3/2b`.
  public static func csv(_ cases: [PhantomCase], sliceCount: Int) -> String {
    var text = columns.joined(separator: ",") + "\n"
    for item in cases {
      let grades = Muscle.allCases.map { muscle in
        "\(muscle.abbreviation)=\(item.grade(muscle, .right).text)"
          + "/\(item.grade(muscle, .left).text)"
      }
      let fields = [
        item.id, item.diagnosis.label, item.diagnosis.subtype,
        String(item.subject.age), item.subject.sex.rawValue, item.split,
        item.format.rawValue, String(sliceCount),
        threeDecimals(item.severity),
        item.subject.legsTouch ? "yes" : "no",
        grades.joined(separator: " "),
      ]
      text += fields.joined(separator: ",") + "\n"
    }
    return text
  }
}
