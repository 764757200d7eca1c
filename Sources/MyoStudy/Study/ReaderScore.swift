/// Turns a call and a confidence into the ordinal score that ROC analysis
/// ranks: "no, very sure" lowest, "yes, very sure" highest.
///
/// On the 5-point scale (1 unsure to 5 very sure) the score runs from 1
/// (no, 5) to 10 (yes, 5); on the 0 to 100 scale from 0 (no, 100) to 200
/// (yes, 100), so that a "yes" always ranks above a "no".
public enum ReaderScore {
  /// The score of one answer.
  /// A confidence outside the scale, which only an edit outside myoscope
  /// can store, is clamped to it.
  public static func score(call: Bool, confidence: Int, scale: Int) -> Double {
    let confidence = min(max(confidence, scale == 100 ? 0 : 1), scale == 100 ? 100 : 5)
    if scale == 100 {
      return call ? Double(101 + confidence) : Double(100 - confidence)
    }
    return call ? Double(5 + confidence) : Double(6 - confidence)
  }
}
