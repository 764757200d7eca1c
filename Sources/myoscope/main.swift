import Foundation
import MyoNeural

/// Every subcommand, in the order `myoscope --help` lists them. The viewer
/// runs when the first argument is not a command name.
let commands: [any Command.Type] = [
  ViewCommand.self,
  InfoCommand.self,
  ROICommand.self,
  ClassifyCommand.self,
  ModelCommand.self,
  BenchCommand.self,
  RenderCommand.self,
  StatsCommand.self,
  StudyCommand.self,
  ReadCommand.self,
  TeachCommand.self,
  PhantomCommand.self,
  TrainCommand.self,
  EvaluateCommand.self,
]

let version = "0.1.0"

@MainActor func printUsage() {
  var text = """
    myoscope \(version): a terminal reading station for thigh muscle MRI

    usage: myoscope [PATH] [options]      open the viewer (default SampleCases)
           myoscope COMMAND [arguments]   run a command

    commands:

    """
  for command in commands {
    let padded = command.name.padding(toLength: 10, withPad: " ", startingAt: 0)
    text += "  \(padded)  \(command.summary)\n"
  }
  text += "\nRun 'myoscope COMMAND --help' for a command's options;"
  text += " 'man myoscope' has the full manual.\n"
  print(text, terminator: "")
}

/// Tells whether `path` exists, a broken or looping symbolic link
/// included, so that the viewer reports why it cannot be opened.
func pathExists(_ path: String) -> Bool {
  var status = stat()
  return lstat(path, &status) == 0
}

@MainActor func runMain() -> Int32 {
  BLASKernel.selectBeforeStart()
  var arguments = Array(CommandLine.arguments.dropFirst())
  if arguments.first == "--help" || arguments.first == "-h" {
    printUsage()
    return ExitStatus.success
  }
  if arguments.first == "--man" {
    print(ManualPage.roff(), terminator: "")
    return ExitStatus.success
  }
  if arguments.first == "--version" {
    print("myoscope \(version)")
    return ExitStatus.success
  }
  var command: any Command.Type = ViewCommand.self
  if let first = arguments.first,
    let match = commands.first(where: { $0.name == first })
  {
    command = match
    arguments.removeFirst()
  } else if let first = arguments.first, !first.hasPrefix("-"),
    !pathExists(first)
  {
    // A word that is neither a command nor an existing path is most
    // likely a mistyped command. With a slash or a dot it is most likely
    // a mistyped path.
    if first.contains("/") || first.contains(".") {
      let text = terminalSafe("myoscope: no such file or folder: \(first)\n")
      FileHandle.standardError.write(Data(text.utf8))
      return ExitStatus.failure
    }
    let text = terminalSafe("myoscope: \(UsageError.unknownCommand(first))\n")
    FileHandle.standardError.write(Data(text.utf8))
    return ExitStatus.usage
  }
  if arguments.contains("--help") || arguments.contains("-h") {
    print(command.usage)
    return ExitStatus.success
  }
  var parsed = Arguments(command: command.name, arguments)
  do {
    return try command.run(&parsed)
  } catch let error as UsageError {
    let text = terminalSafe("myoscope: \(error)\n")
    FileHandle.standardError.write(Data(text.utf8))
    return ExitStatus.usage
  } catch {
    let text = terminalSafe("myoscope: \(error)\n")
    FileHandle.standardError.write(Data(text.utf8))
    return ExitStatus.failure
  }
}

exit(runMain())
