import Foundation
import MyoSupport

/// One submitted answer, as stored in a reader's store.
public struct ReadRecord: Sendable, Equatable {
  /// The row id, assigned on insert.
  public var id: Int
  /// The session the read belongs to.
  public var sessionID: Int
  /// The case pseudonym.
  public var pseudonym: String
  /// The case's 1-based position in the session order.
  public var position: Int
  /// Dystrophinopathy: yes (true) or no.
  public var call: Bool
  /// DMD or BMD when the reader gave one.
  public var subtype: String?
  /// 1 to 5, or 0 to 100, as the study is set up.
  public var confidence: Int
  /// Mercuri grades by muscle, as "muscle=grade" pairs joined by ";".
  public var grades: String?
  /// When the case was opened (ISO 8601, UTC).
  public var openedAt: String
  /// When the answer was submitted.
  public var submittedAt: String
  /// Seconds the case was open.
  public var durationSeconds: Double
  /// The window centre shown at submit.
  public var windowCenter: Double?
  /// The window width shown at submit.
  public var windowWidth: Double?
  /// The slice shown at submit (0-based).
  public var slice: Int?
  /// The read this one replaces, for an amendment.
  public var amends: Int?
  /// The hash of the previous read of this reader, or the genesis value.
  public var previousHash: String
  /// SHA-256 of the previous hash and this row's fields.
  public var hash: String
  /// "unaided", or "aided" for the second read of a case in an aided
  /// session, made with the model output on screen.
  public var modality: String = "unaided"

  /// The canonical text that the hash covers: the previous hash, then each
  /// field in schema order, separated by the unit separator U+001F. The
  /// modality (schema version 2) is appended only when it is not
  /// "unaided", so that rows written before it keep their hashes.
  public var canonicalText: String {
    func text(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
    let fields: [String] = [
      previousHash, "\(id)", "\(sessionID)", pseudonym, "\(position)",
      call ? "1" : "0", subtype ?? "", "\(confidence)", grades ?? "",
      openedAt, submittedAt, "\(durationSeconds)", text(windowCenter),
      text(windowWidth), slice.map { "\($0)" } ?? "",
      amends.map { "\($0)" } ?? "",
    ]
    let modalityField = modality == "unaided" ? [] : [modality]
    return (fields + modalityField).joined(separator: "\u{1F}")
  }

  /// The hash this row should carry.
  public var expectedHash: String { SHA256.hex(canonicalText) }

  /// Returns the previous hash of a reader's first read.
  public static func genesisHash(user: String) -> String {
    SHA256.hex("myoscope reads of \(user)")
  }
}

/// Timestamps in ISO 8601 with milliseconds, UTC.
enum Clock {
  static func now() -> String { format(Date()) }

  static func format(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }

  static func parse(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }
}
