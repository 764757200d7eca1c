import Foundation
import Testing

@testable import MyoNeural

@Suite("Cohort split")
struct TrainingSplitTests {
  /// The study's cohort: 148 dystrophinopathy and 284 other cases.
  static let studyCases: [CohortCase] = (0..<432).map { index in
    CohortCase(
      name: "c\(index)", folder: "/c\(index)", isPositive: index < 148,
      diagnosis: index < 148 ? "dystrophinopathy" : "other", subtype: "", split: nil)
  }

  @Test("no case leaks across parts")
  func noLeaks() throws {
    let split = try CohortSplit.random(Self.studyCases, seed: 42)
    let training = Set(split.training)
    let validation = Set(split.validation)
    let test = Set(split.test)
    #expect(training.isDisjoint(with: validation))
    #expect(training.isDisjoint(with: test))
    #expect(validation.isDisjoint(with: test))
    #expect(training.count + validation.count + test.count == 432)
    #expect(training.union(validation).union(test) == Set(Self.studyCases.map(\.name)))
  }

  @Test("part sizes by largest remainder per class")
  func partSizes() throws {
    // Positives: 148 * (0.54, 0.22, 0.24) = 79.92, 32.56, 35.52, floors
    // 79 + 32 + 35 = 146, the two left go to .92 and .56: 80, 33, 35.
    // Negatives: 284 * shares = 153.36, 62.48, 68.16, floors 283, the one
    // left goes to .48: 153, 63, 68.
    let split = try CohortSplit.random(Self.studyCases, seed: 3)
    let positives = Set(Self.studyCases.filter(\.isPositive).map(\.name))
    let counts = SplitPart.allCases.map { part in
      split.cases(in: part).filter { positives.contains($0) }.count
    }
    #expect(counts == [80, 33, 35])
    #expect(split.training.count == 233)
    #expect(split.validation.count == 96)
    #expect(split.test.count == 103)
  }

  @Test("seed fixes the split")
  func seeded() throws {
    let first = try CohortSplit.random(Self.studyCases, seed: 9)
    let again = try CohortSplit.random(Self.studyCases, seed: 9)
    let other = try CohortSplit.random(Self.studyCases, seed: 10)
    #expect(first == again)
    #expect(first.training != other.training)
  }

  @Test("largest remainder keeps the total", arguments: [0, 1, 2, 5, 7, 100, 433])
  func remainderTotal(count: Int) {
    let counts = CohortSplit.largestRemainder(count, shares: [0.54, 0.22, 0.24])
    #expect(counts.reduce(0, +) == count)
    #expect(counts.allSatisfy { $0 >= 0 })
  }

  @Test("manifest split column")
  func manifestColumn() throws {
    let text = """
      case,diagnosis,split
      a,DMD,train
      b,other,validation
      c,BMD,test
      d,myositis,Training

      """
    let manifest = try CohortManifest.parse(text, path: "m.csv", folder: "/data")
    let split = try CohortSplit.fromManifest(manifest)
    #expect(split.training == ["a", "d"])
    #expect(split.validation == ["b"])
    #expect(split.test == ["c"])
    #expect(split.source == .manifest)
    #expect(split.part(of: "c") == .test)
  }

  @Test("manifest split missing for a case")
  func manifestSplitMissing() throws {
    let text = "case,diagnosis,split\na,DMD,train\nb,other,\n"
    let manifest = try CohortManifest.parse(text, path: "m.csv", folder: "/data")
    #expect(throws: TrainingError.self) { try CohortSplit.fromManifest(manifest) }
  }
}

@Suite("Cohort manifest")
struct TrainingManifestTests {
  @Test("labels, subtypes and folders")
  func labels() throws {
    let text = """
      Case,Diagnosis,Subtype,Path
      p1,dystrophinopathy,DMD,
      p2,muscular dystrophy,BMD,
      n1,calpainopathy,other,
      n2,0,DMD,
      "q,1",1,,cases/q1

      """
    let manifest = try CohortManifest.parse(text, path: "m.csv", folder: "/data")
    #expect(manifest.cases.map(\.name) == ["p1", "p2", "n1", "n2", "q,1"])
    #expect(manifest.cases.map(\.isPositive) == [true, true, false, false, true])
    #expect(manifest.cases[0].folder == "/data/p1")
    #expect(manifest.cases[4].folder == "/data/cases/q1")
    #expect(manifest.cases[1].subtype == "BMD")
  }

  @Test("errors name the file and the fix")
  func errors() {
    let cases: [(String, String)] = [
      (
        "name,diagnosis\na,DMD\n",
        "m.csv: the cohort manifest has no 'case' column (found: name,"
          + " diagnosis); add it to the header"
      ),
      (
        "case,diagnosis\na,DMD\na,other\n",
        "m.csv:3: invalid cohort manifest: case 'a' appears twice;"
          + " case names must be unique"
      ),
      (
        "case,diagnosis,split\na,DMD,holdout\n",
        "m.csv:2: invalid cohort manifest: split 'holdout' of case 'a' is"
          + " not train, validation or test"
      ),
      ("case,diagnosis\n", "m.csv:2: invalid cohort manifest: the manifest lists no cases"),
    ]
    for (text, message) in cases {
      do {
        _ = try CohortManifest.parse(text, path: "m.csv", folder: "/data")
        Issue.record("no error for \(text)")
      } catch {
        #expect("\(error)" == message)
      }
    }
  }
}
