import Testing

@testable import MyoPhantom

@Suite struct DiseaseProfileTests {
  /// Many cases of one diagnosis, drawn without rendering.
  static func cases(_ diagnosis: Diagnosis, count: Int) -> [PhantomCase] {
    let generator = CohortGenerator(caseCount: 1, seed: 99)
    return (1...count).map {
      generator.makeCase(
        number: $0, diagnosis: diagnosis, split: "train", format: .png)
    }
  }

  @Test func trefoilSparedInDuchenne() {
    for item in Self.cases(.duchenne, count: 200) {
      for side in Side.allCases {
        let magnus = item.grade(.adductorMagnus, side)
        for muscle in Muscle.trefoil {
          let grade = item.grade(muscle, side)
          #expect(
            grade <= .grade2a,
            "\(item.id) \(side) \(muscle.abbreviation) is \(grade.text)")
          #expect(
            grade <= magnus,
            "\(item.id) \(side) \(muscle.abbreviation) above AM \(magnus.text)")
        }
      }
    }
  }

  @Test func duchenneSeverityGrowsWithAge() {
    let cases = Self.cases(.duchenne, count: 200)
    let young = cases.filter { $0.subject.age <= 7 }
    let old = cases.filter { $0.subject.age >= 13 }
    func meanGrade(_ group: [PhantomCase]) -> Double {
      let grades = group.flatMap { item in
        Muscle.allCases.map { Double(item.grade($0, .right).rawValue) }
      }
      return grades.reduce(0, +) / Double(max(grades.count, 1))
    }
    #expect(!young.isEmpty)
    #expect(!old.isEmpty)
    #expect(meanGrade(old) > meanGrade(young) + 1)
  }

  /// For every pair of muscles where the table puts one strictly ahead
  /// (both ends of its range at least as high, one higher), the mean
  /// drawn grade keeps that order.
  @Test(arguments: Diagnosis.allCases)
  func involvementOrderFollowsTable(_ diagnosis: Diagnosis) {
    let profile = DiseaseProfile.of(diagnosis)
    let cases = Self.cases(diagnosis, count: 300)
    var means: [Muscle: Double] = [:]
    for muscle in Muscle.allCases {
      let grades = cases.flatMap { item in
        Side.allCases.map { Double(item.grade(muscle, $0).rawValue) }
      }
      means[muscle] = grades.reduce(0, +) / Double(grades.count)
    }
    for a in Muscle.allCases {
      for b in Muscle.allCases where a != b {
        let (ra, rb) = (profile.range(of: a), profile.range(of: b))
        let ahead =
          ra.lowerBound >= rb.lowerBound && ra.upperBound >= rb.upperBound
          && (ra.lowerBound > rb.lowerBound || ra.upperBound > rb.upperBound)
        guard ahead else { continue }
        #expect(
          means[a]! >= means[b]!,
          "\(diagnosis.subtype): \(a.abbreviation) below \(b.abbreviation)")
      }
    }
  }

  @Test(arguments: Diagnosis.allCases)
  func gradesStayInTableRanges(_ diagnosis: Diagnosis) {
    let profile = DiseaseProfile.of(diagnosis)
    for item in Self.cases(diagnosis, count: 100) {
      for side in Side.allCases {
        for muscle in Muscle.allCases {
          #expect(profile.range(of: muscle).contains(item.grade(muscle, side)))
        }
      }
    }
  }

  @Test func beckerAnteriorAbovePosterior() {
    let cases = Self.cases(.becker, count: 300)
    func mean(_ muscles: [Muscle]) -> Double {
      let grades = cases.flatMap { item in
        muscles.map { Double(item.grade($0, .left).rawValue) }
      }
      return grades.reduce(0, +) / Double(grades.count)
    }
    let anterior = mean([.vastusLateralis, .vastusIntermedius, .vastusMedialis, .rectusFemoris])
    let posterior = mean([.bicepsFemorisLongHead, .semimembranosus, .semitendinosus])
    #expect(anterior > posterior)
  }

  @Test func fshdIsMoreAsymmetricThanDuchenne() {
    func asymmetry(_ diagnosis: Diagnosis) -> Double {
      let cases = Self.cases(diagnosis, count: 200)
      let differences = cases.flatMap { item in
        Muscle.allCases.map {
          abs(Double(item.grade($0, .right).rawValue - item.grade($0, .left).rawValue))
        }
      }
      return differences.reduce(0, +) / Double(differences.count)
    }
    #expect(asymmetry(.fshd) > 2 * asymmetry(.duchenne))
  }
}

@Suite struct CohortGeneratorTests {
  @Test func proportionsFollowStudy() {
    let generator = CohortGenerator(caseCount: 432, seed: 1)
    let diagnoses = generator.diagnoses()
    // 148 of 432 are dystrophinopathy, 117 of them Duchenne.
    #expect(diagnoses.filter(\.isDystrophinopathy).count == 148)
    #expect(diagnoses.filter { $0 == .duchenne }.count == 117)
    for other in Diagnosis.others {
      let count = diagnoses.filter { $0 == other }.count
      #expect((40...41).contains(count), "\(other.subtype): \(count)")
    }
    let splits = generator.splits()
    #expect(splits.filter { $0 == "train" }.count == 233)
    #expect(splits.filter { $0 == "validation" }.count == 97)
    #expect(splits.filter { $0 == "test" }.count == 102)
  }

  @Test func fractionIsConfigurable() {
    var generator = CohortGenerator(caseCount: 40, seed: 1)
    generator.dystrophinopathyFraction = 0.5
    #expect(generator.diagnoses().filter(\.isDystrophinopathy).count == 20)
  }

  @Test func mixedFormatsRotate() {
    let cases = CohortGenerator(caseCount: 6, seed: 1).cases()
    #expect(cases.map(\.format) == [.dicom, .png, .nifti, .dicom, .png, .nifti])
    #expect(cases.map(\.id) == (1...6).map { "PH000\($0)" })
  }

  @Test func someLegsTouch() {
    let cases = CohortGenerator(caseCount: 200, seed: 4).cases()
    let touching = cases.filter(\.subject.legsTouch).count
    #expect(touching > 10)
    #expect(touching < 70)
  }

  @Test func manifestHasOneRowPerCase() throws {
    let cases = CohortGenerator(caseCount: 5, seed: 8).cases()
    let text = CohortManifest.csv(cases, sliceCount: 6)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 6)
    #expect(lines[0] == CohortManifest.columns.joined(separator: ","))
    let first = lines[1].split(separator: ",").map(String.init)
    #expect(first.count == CohortManifest.columns.count)
    #expect(first[0] == cases[0].id)
    #expect(first[2] == cases[0].diagnosis.subtype)
    #expect(first[3] == String(cases[0].subject.age))
  }
}

@Suite struct NamingTests {
  @Test(arguments: MercuriGrade.allCases)
  func gradeTextRoundTrips(_ grade: MercuriGrade) {
    #expect(MercuriGrade(text: grade.text) == grade)
  }

  @Test(arguments: Muscle.allCases)
  func abbreviationRoundTrips(_ muscle: Muscle) {
    #expect(Muscle(abbreviation: muscle.abbreviation) == muscle)
  }

  @Test func gradeTextsAreScaleNames() {
    #expect(MercuriGrade.allCases.map(\.text) == ["0", "1", "2a", "2b", "3", "4"])
  }

  @Test(arguments: Diagnosis.allCases)
  func subtypeRoundTrips(_ diagnosis: Diagnosis) {
    #expect(Diagnosis(subtype: diagnosis.subtype) == diagnosis)
    #expect(!diagnosis.subtype.contains(","))
  }
}
