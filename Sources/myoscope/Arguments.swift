import Foundation

/// Errors in the command line, quoted back to the user.
enum UsageError: Error, CustomStringConvertible {
  case unknownOption(String, command: String)
  case missingValue(option: String)
  case invalidValue(String, option: String, expected: String)
  case missingArgument(String, command: String)
  case unexpectedArgument(String, command: String)
  case unknownCommand(String)
  case folderGiven(String, command: String, needs: String)

  var description: String {
    switch self {
    case .unknownOption(let option, let command):
      return "unknown option '\(option)' for '\(command)';"
        + " run 'myoscope \(command) --help' for the options"
    case .missingValue(let option):
      return "option '\(option)' needs a value"
    case .invalidValue(let value, let option, let expected):
      return "invalid value '\(value)' for '\(option)': expected \(expected)"
    case .missingArgument(let name, let command):
      return "'\(command)' needs \(name);"
        + " run 'myoscope \(command) --help' for usage"
    case .unexpectedArgument(let argument, let command):
      return "unexpected argument '\(argument)' for '\(command)'"
    case .unknownCommand(let name):
      return "'\(name)' is neither a command nor a file or folder;"
        + " run 'myoscope --help' for the commands"
    case .folderGiven(let path, let command, let needs):
      return "\(path) is a folder; \(command) takes \(needs)"
    }
  }
}

/// The arguments of one command, consumed as options are recognised.
///
/// Options take the forms `--name value` and `--name=value`; `--` ends the
/// options. Whatever remains after the options have been taken is the list
/// of positional arguments.
struct Arguments {
  /// The command name, used in error messages.
  let command: String
  private var items: [String]

  init(command: String, _ items: [String]) {
    self.command = command
    self.items = items
  }

  /// Removes a flag such as `--json` and reports whether it was present.
  mutating func flag(_ names: String...) -> Bool {
    var found = false
    items.removeAll { item in
      let match = names.contains(item)
      found = found || match
      return match
    }
    return found
  }

  /// Removes an option with a value and returns the value, or nil.
  mutating func option(_ names: String...) throws -> String? {
    var index = 0
    var value: String?
    while index < items.count {
      let item = items[index]
      if item == "--" { break }
      if let name = names.first(where: { item.hasPrefix($0 + "=") }) {
        value = String(item.dropFirst(name.count + 1))
        items.remove(at: index)
        continue
      }
      if names.contains(item) {
        guard index + 1 < items.count else {
          throw UsageError.missingValue(option: item)
        }
        value = items[index + 1]
        items.removeSubrange(index...(index + 1))
        continue
      }
      index += 1
    }
    return value
  }

  /// Removes an integer option and checks its range.
  mutating func integer(
    _ name: String, default fallback: Int, range: ClosedRange<Int>
  ) throws -> Int {
    guard let text = try option(name) else { return fallback }
    guard let value = Int(text), range.contains(value) else {
      throw UsageError.invalidValue(
        text, option: name,
        expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
    }
    return value
  }

  /// Removes a size option such as `--size 100x50`: columns and rows of
  /// terminal cells, each from 1 to 2000.
  mutating func cellSize(
    _ name: String, default fallback: (columns: Int, rows: Int)
  ) throws -> (columns: Int, rows: Int) {
    guard let text = try option(name) else { return fallback }
    let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, (1...2000).contains(parts[0]),
      (1...2000).contains(parts[1])
    else {
      throw UsageError.invalidValue(
        text, option: name,
        expected: "COLSxROWS with each from 1 to 2000, such as"
          + " \(fallback.columns)x\(fallback.rows)")
    }
    return (parts[0], parts[1])
  }

  /// Returns the positional arguments and rejects unknown options.
  mutating func positionals() throws -> [String] {
    var result: [String] = []
    var optionsEnded = false
    for item in items {
      if !optionsEnded && item == "--" {
        optionsEnded = true
      } else if !optionsEnded && item.hasPrefix("-") && item != "-" {
        throw UsageError.unknownOption(item, command: command)
      } else {
        result.append(item)
      }
    }
    items = []
    return result
  }
}
