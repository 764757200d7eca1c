import Testing

@testable import MyoStudy

@Suite struct RatingsFileTests {
  @Test func parsesLongFormat() throws {
    let text = """
      reader,case,modality,truth,score,call,subtype,image
      R1,C1,unaided,1,4,1,dmd,
      R1,"C,2",unaided,0,2,0,other,
      R2,C1,unaided,yes,,,,
      model,C1,,1,0.9,1,DMD,3
      """
    let ratings = try RatingsFile.parse(text, path: "r.csv", threshold: nil)
    #expect(ratings.count == 3)
    #expect(ratings[0].subtype == "DMD")
    #expect(ratings[1].caseID == "C,2")
    #expect(ratings[2].modality == "model")
    #expect(ratings[2].image == "3")
  }

  @Test func thresholdGivesCalls() throws {
    let text = "reader,case,truth,score\nR1,C1,1,3\nR1,C2,0,2\n"
    let ratings = try RatingsFile.parse(text, path: "r.csv", threshold: 3)
    #expect(ratings.map(\.call) == [true, false])
    #expect(ratings.map(\.modality) == ["unaided", "unaided"])
  }

  @Test(arguments: [
    ("reader,case,score\nR1,C1,3\n",
     "r.csv: missing column 'truth'; found columns 'reader', 'case',"
       + " 'score'; the long format needs reader, case, truth and score"),
    ("reader,case,truth,score\nR1,C1,1,3\n",
     "r.csv: no 'call' column; add one, or give --threshold T to call a"
       + " case positive when its score >= T"),
    ("reader,case,truth,score,call\nR1,C1,maybe,3,1\n",
     "r.csv: line 2: invalid truth 'maybe': expected 1 or 0"
       + " (also yes/no, true/false, positive/negative,"
       + " dystrophinopathy/other)"),
    ("reader,case,truth,score,call\nR1,C1,1,high,1\n",
     "r.csv: line 2: invalid score 'high': expected a finite number"),
    ("reader,case,truth,score,call\nR1,\"C1,1,3,1\n",
     "r.csv: line 2: invalid CSV: a quoted field is not closed"),
  ])
  func rejectsBadInput(text: String, message: String) {
    #expect {
      _ = try RatingsFile.parse(text, path: "r.csv", threshold: nil)
    } throws: { error in
      "\(error)" == message
    }
  }
}
