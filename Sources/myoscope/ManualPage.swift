import Foundation
import MyoTerminal

/// Builds the roff source of man/myoscope.1 from the commands' own usage
/// texts and the viewer's key list, so that the manual and `--help` cannot
/// disagree. `myoscope --man` prints it; a test compares it with the file.
enum ManualPage {
  @MainActor static func roff() -> String {
    var page = """
      .TH MYOSCOPE 1 "" "myoscope \(version)" "User Commands"
      .SH NAME
      myoscope \\- terminal reading station for thigh muscle MRI
      .SH SYNOPSIS
      .B myoscope
      [\\fIPATH\\fR] [\\fIoptions\\fR]
      .br
      .B myoscope
      \\fICOMMAND\\fR [\\fIarguments\\fR]
      .SH DESCRIPTION
      myoscope browses case folders of DICOM, NIfTI and PNG slices of
      thigh muscle MRI and draws them in the terminal with half-block
      glyphs, two image pixels per character cell, in 24-bit or 256
      colours. It runs a ResNet50 classifier of dystrophinopathy against
      other muscle diseases with class activation maps, records blinded
      reads of reader studies and computes their statistics. It is a
      research tool, not a medical device.
      .PP
      Without a command, or with \\fBview\\fR, it opens the full-screen
      viewer on \\fIPATH\\fR (default \\fISampleCases\\fR). A folder whose
      subfolders hold images is a root of cases, one case per subfolder; a
      folder without such subfolders is one case, unless it holds only
      NIfTI volumes, which are then a case each.
      .SH COMMANDS

      """
    for command in commands {
      page += ".SS \(command.name)\n\(escape(command.summary)).\n.PP\n.nf\n"
      page += escape(command.usage) + "\n.fi\n"
    }
    page += """
      .SH VIEWER KEYS
      .nf
      \(HelpOverlay.lines.map(escape).joined(separator: "\n"))
      .fi
      .SH ENVIRONMENT
      .TP
      .B COLORTERM
      \\fItruecolor\\fR or \\fI24bit\\fR selects 24-bit colour. SSH does not
      forward it by default.
      .TP
      .B TERM
      The terminal type. With 24-bit colour, myoscope uses the matching
      direct-colour terminfo entry (xterm-direct, tmux-direct, ...).
      \\fIdumb\\fR gives plain text.
      .TP
      .B TMUX
      Set inside tmux; then tmux-direct is used for 24-bit colour. tmux
      passes 24-bit colour on only with its RGB feature:
      set -as terminal-features ",*:RGB"
      .TP
      .B NO_COLOR
      When set and not empty, no colour is sent; slices are drawn with
      ASCII shades.
      .TP
      .B ESCDELAY
      Milliseconds a lone Escape waits for the rest of a key's escape
      sequence in the viewer and the reading screens (default 100).
      .TP
      .B XDG_CONFIG_HOME
      User themes are read from $XDG_CONFIG_HOME/myoscope/themes (default
      ~/.config/myoscope/themes).
      .TP
      .B MYOSCOPE_MODEL
      The model bundle used when no \\-\\-model option is given.
      .TP
      .B MYOSCOPE_KERNELS
      \\fIopenblas\\fR runs the convolutions on OpenBLAS, as on a CPU
      without AVX2 and FMA. Otherwise, on a CPU with them, they run on
      myoscope's own kernels.
      .TP
      .B OPENBLAS_CORETYPE
      The OpenBLAS kernel. When it is set, myoscope keeps it; when unset,
      myoscope picks the kernel for the instructions the CPU reports.
      .TP
      .B OPENBLAS_NUM_THREADS
      Threads of the neural network when no \\-\\-threads option is given.
      .SH FILES
      .TP
      .I Themes/NAME.theme
      Built-in themes dark, light and high-contrast: key = value lines with
      colours, the heatmap colour map and window presets.
      .TP
      .I Models/
      The demo model bundle, labelled as a demo everywhere it shows. It is
      looked for in Models/ of the current folder, then in Models/ or
      share/myoscope/ beside the executable and in the folders above it.
      .TP
      .I NAME.labels.png, NAME.labels.nii.gz
      A muscle label map beside the slice NAME, with the legend labels.csv
      (id, name, abbreviation) in the case folder or its parent.
      .SH EXIT STATUS
      .TP
      .B 0
      Success.
      .TP
      .B 1
      A file could not be read, a computation failed, or a check found a
      problem.
      .TP
      .B 2
      The command line was invalid.
      .TP
      .B 128+N
      The viewer ended on signal N (SIGHUP 129, SIGINT 130, SIGQUIT 131,
      SIGTERM 143) after restoring the terminal. After a crash signal
      (SIGSEGV, SIGABRT, SIGILL and the like) the viewer restores the
      terminal first and then leaves the signal to the Swift runtime's
      crash report (SWIFT_BACKTRACE configures it) or the default action.
      .SH SEE ALSO
      README.md and docs/ in the source tree.

      """
    return page
  }

  /// Escapes text for roff: backslashes, and a leading dot or quote.
  static func escape(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map {
      line -> String in
      var escaped = line.replacingOccurrences(of: "\\", with: "\\e")
      if escaped.hasPrefix(".") || escaped.hasPrefix("'") {
        escaped = "\\&" + escaped
      }
      return escaped
    }.joined(separator: "\n")
  }
}
