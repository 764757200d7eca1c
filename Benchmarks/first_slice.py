#!/usr/bin/env python3
"""Time from launch until the viewer shows the first slice, on a folder
of 100 phantom cases, against printing that slice without the viewer.

The script writes 100 phantom cases (`myoscope phantom --cases 100
--seed 1`) into a temporary folder, then, alternating, for --runs rounds:
- starts `myoscope FOLDER` in a pseudo-terminal of 200 x 60 cells and
  measures the time until its output contains both half-block glyphs and
  the status line's "slice 1/". The status line is the last row, so by
  then the first frame with the slice has been written to the terminal;
- times `myoscope render SLICE --size 200x60` until it exits, with the
  same slice file the viewer opens first;
- times `chafa --symbols vhalf -c full --size 200x60` on that slice
  exported as a PNG (chafa reads no DICOM or NIfTI).
It prints the medians and the ratios of the viewer to each anchor.

Usage: first_slice.py MYOSCOPE [--runs 7]
"""
import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import tempfile
import termios
import time

COLUMNS, ROWS = 200, 60
HALF_BLOCKS = (b"\xe2\x96\x80", b"\xe2\x96\x84")


def viewer_first_frame(myoscope, folder, timeout=30.0):
    """Seconds from fork until the first frame with the slice is out."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLORTERM"] = "truecolor"
        os.environ.pop("NO_COLOR", None)
        os.execv(myoscope, [myoscope, folder])
    fcntl.ioctl(fd, termios.TIOCSWINSZ,
                struct.pack("HHHH", ROWS, COLUMNS, 0, 0))

    data = b""
    elapsed = None
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if not ready:
            continue
        try:
            data += os.read(fd, 1 << 16)
        except OSError:
            break
        if b"slice 1/" in data and any(g in data for g in HALF_BLOCKS):
            elapsed = time.perf_counter() - start
            break

    os.write(fd, b"q")
    end = time.perf_counter() + 5
    while time.perf_counter() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if not os.read(fd, 1 << 16):
                    break
            except OSError:
                break
    os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        raise SystemExit("the viewer showed no slice within "
                         f"{timeout:.0f} s")
    return elapsed


def wall(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def first_slice(folder):
    """The file the viewer opens first: the first image of the first case,
    in name order, as the case list sorts them."""
    case = sorted(entry for entry in os.listdir(folder)
                  if os.path.isdir(os.path.join(folder, entry)))[0]
    files = sorted(name for name in os.listdir(os.path.join(folder, case))
                   if not name.endswith((".csv", ".labels.png",
                                         ".labels.nii.gz"))
                   and ".labels" not in name)
    return os.path.join(folder, case, files[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("myoscope")
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    myoscope = os.path.abspath(arguments.myoscope)
    with tempfile.TemporaryDirectory() as folder:
        cases = os.path.join(folder, "cases")
        subprocess.run([myoscope, "phantom", "--cases", "100", "--seed", "1",
                        "--out", cases], capture_output=True, check=True)
        slice_file = first_slice(cases)
        exported = os.path.join(folder, "first.png")
        subprocess.run([myoscope, "render", slice_file, "--export", exported],
                       stdout=subprocess.DEVNULL, check=True)
        size = f"{COLUMNS}x{ROWS}"
        render = [myoscope, "render", slice_file, "--size", size,
                  "--color", "truecolor"]
        chafa = ["chafa", "--symbols", "vhalf", "-c", "full", "--size", size,
                 exported]
        print(f"# 100 phantom cases, first slice "
              f"{os.path.relpath(slice_file, cases)}, {size} cells")
        # One untimed round warms the file cache.
        viewer_first_frame(myoscope, cases)
        wall(render)
        wall(chafa)
        times = {"viewer first slice": [], "myoscope render": [], "chafa": []}
        for _ in range(arguments.runs):
            times["viewer first slice"].append(
                viewer_first_frame(myoscope, cases))
            times["myoscope render"].append(wall(render))
            times["chafa"].append(wall(chafa))
        medians = {key: statistics.median(value)
                   for key, value in times.items()}
        for key, value in medians.items():
            print(f"{key}: median {value * 1000:.1f} ms "
                  f"(min {min(times[key]) * 1000:.1f}, {arguments.runs} runs)")
        viewer = medians["viewer first slice"]
        print(f"ratio viewer / myoscope render: "
              f"{viewer / medians['myoscope render']:.2f}")
        print(f"ratio viewer / chafa: {viewer / medians['chafa']:.2f}")


if __name__ == "__main__":
    main()
