#!/usr/bin/env python3
"""Time to build one frame (image to half-block cells) at 200 x 60 cells.

Two anchors, each measured in the same run as myoscope:
1. `myoscope bench --frame` times building the frame in process
   (windowing, area averaging and the half-block encoding, as the viewer
   does) against copying the slice's pixels once, and prints the ratio.
2. This script times whole processes, alternating, on the slice exported
   as a PNG: `myoscope render PNG --size 200x60` against
   `chafa --symbols vhalf -c full --size 200x60 PNG`, each writing its
   frame to a pipe. Both read the PNG, build the frame and write it, so
   the ratio includes process start and PNG decoding.

Usage: frame_build.py MYOSCOPE FILE[@SLICE] ... [--cells 200x60] [--runs 15]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def wall(command):
    """Seconds from start to exit of a command whose output is read."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("myoscope")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--cells", default="200x60")
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for argument in arguments.files:
            path, _, slice_number = argument.partition("@")
            slice_number = slice_number or "1"
            name = f"{os.path.basename(path)} slice {slice_number}"
            print(f"## {name}, {arguments.cells} cells")
            report = subprocess.run(
                [arguments.myoscope, "bench", "--frame", path, "--slice",
                 slice_number, "--cells", arguments.cells, "--runs",
                 str(arguments.runs)],
                capture_output=True, text=True, check=True).stdout
            print(report, end="")
            exported = os.path.join(folder, "slice.png")
            subprocess.run(
                [arguments.myoscope, "render", path, "--slice", slice_number,
                 "--export", exported], stdout=subprocess.DEVNULL, check=True)
            ours = [arguments.myoscope, "render", exported, "--size",
                    arguments.cells, "--color", "truecolor"]
            chafa = ["chafa", "--symbols", "vhalf", "-c", "full", "--size",
                     arguments.cells, exported]
            wall(ours)
            wall(chafa)
            times = {"myoscope render": [], "chafa": []}
            for _ in range(arguments.runs):
                times["myoscope render"].append(wall(ours))
                times["chafa"].append(wall(chafa))
            medians = {key: statistics.median(value)
                       for key, value in times.items()}
            for key, value in medians.items():
                print(f"process {key}: median {value * 1000:.1f} ms "
                      f"(min {min(times[key]) * 1000:.1f}, "
                      f"{arguments.runs} runs)")
            print(f"ratio myoscope render / chafa: "
                  f"{medians['myoscope render'] / medians['chafa']:.2f}")


if __name__ == "__main__":
    main()
