import Foundation
import MyoSupport

/// A reader's position: the session to continue and the next case.
public struct ReadingPlan: Sendable {
  /// The session being read.
  public var session: ReadingSession
  /// Pseudonyms already answered in this session; in an aided session,
  /// those with both the unaided and the aided read.
  public var answered: Set<String>
  /// In an aided session, pseudonyms whose unaided read is stored (and so
  /// locked) but whose aided read is not.
  public var awaitingAided: Set<String> = []
  /// 0-based index into the session order of the next unread case, or
  /// nil when all are read.
  public var nextIndex: Int?

  /// Progress as (answered, total).
  public var progress: (done: Int, total: Int) {
    (answered.count, session.order.count)
  }
}

/// Chooses or starts a reader's session: resumes an unfinished one,
/// otherwise starts a new one with a fresh seeded order, enforcing the
/// washout between sessions.
public enum SessionPlanner {
  /// Derives the seed of a reader's n-th session: the first 8 bytes of
  /// SHA-256("study seed:user:kind:n"), recorded with the session.
  public static func seed(studySeed: UInt64, user: String, kind: String, number: Int) -> UInt64 {
    let digest = SHA256.digest(Array("\(studySeed):\(user):\(kind):\(number)".utf8))
    return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// Returns the order of a session: the study's cases shuffled by SplitMix64.
  public static func order(cases: [String], seed: UInt64) -> [String] {
    var order = cases
    var rng = SplitMix64(seed: seed)
    rng.shuffle(&order)
    return order
  }

  /// Resumes the reader's latest unfinished session of `kind`, or starts
  /// one when there is none (and `startNew` allows a further session).
  public static func plan(
    store: ReaderStore, study: StudyStore, kind: String, alias: String?,
    startNew: Bool, washoutOverride: String?, now: Date = Date()
  ) throws -> ReadingPlan {
    let cases = try study.pseudonyms()
    let sessions = try store.sessions().filter { $0.kind == kind }
    let reads = try store.reads()
    // A case is done when its last read of the session is in: the aided
    // read in an aided session, the only read otherwise.
    let finalModality = kind == "aided" ? "aided" : "unaided"
    func answered(_ session: ReadingSession) -> Set<String> {
      Set(
        reads.filter { $0.sessionID == session.id && $0.modality == finalModality }
          .map(\.pseudonym))
    }
    if let last = sessions.last {
      let done = answered(last)
      let next = last.order.firstIndex { !done.contains($0) }
      if next != nil || !startNew {
        var plan = ReadingPlan(session: last, answered: done, nextIndex: next)
        if kind == "aided" {
          plan.awaitingAided = Set(
            reads.filter { $0.sessionID == last.id && $0.modality == "unaided" }
              .map(\.pseudonym)
          ).subtracting(done)
        }
        return plan
      }
      // A further session of the same cases must wait for the washout.
      let lastSubmit = reads.filter { $0.sessionID == last.id }.map(\.submittedAt).max()
      if kind != "teaching", let lastSubmit, let date = Clock.parse(lastSubmit),
        washoutOverride == nil
      {
        let end = date.addingTimeInterval(Double(study.settings.washoutDays) * 86_400)
        if now < end {
          throw StudyError.washout(
            user: store.user, until: Clock.format(end), days: study.settings.washoutDays)
        }
      }
    }
    let number = sessions.count + 1
    let seed = seed(studySeed: study.settings.seed, user: store.user, kind: kind, number: number)
    let session = try store.startSession(
      kind: kind, alias: alias, seed: seed, order: order(cases: cases, seed: seed),
      washoutOverride: sessions.isEmpty ? nil : washoutOverride)
    return ReadingPlan(session: session, answered: [], nextIndex: session.order.isEmpty ? nil : 0)
  }
}
