#!/usr/bin/env python3
"""Time from a key press until the viewer shows its effect, idle and while
the classifier runs.

usage: Benchmarks/key_latency.py MYOSCOPE [CASES] [--presses N]

Starts the viewer in a detached tmux session of its own (120 x 40), sends
"]" (next slice) and polls `tmux capture-pane` every 2 ms until the status
line shows the new slice number. The same measurement runs first with the
viewer idle (the anchor) and then while `c` classifies the case in the
background. The figures include tmux's own delay for send-keys and
capture-pane, which the idle anchor measures too.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import uuid


def tmux(socket, *arguments):
    return subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", *arguments],
        check=True, capture_output=True, text=True).stdout


def screen(socket):
    return tmux(socket, "capture-pane", "-t", "0", "-p")


def wait_for(socket, pattern, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = screen(socket)
        match = re.search(pattern, text)
        if match:
            return match, text
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {pattern!r}; last screen:\n{text}")


def slice_number(socket):
    match, _ = wait_for(socket, r"slice (\d+)/(\d+)")
    return int(match.group(1)), int(match.group(2))


def press_and_time(socket):
    """Sends "]" and returns the seconds until the slice number changes."""
    before, count = slice_number(socket)
    if before == count:
        tmux(socket, "send-keys", "-t", "0", "Home")
        wait_for(socket, r"slice 1/")
        before = 1
    expected = before + 1
    start = time.monotonic()
    tmux(socket, "send-keys", "-t", "0", "]")
    wait_for(socket, rf"slice {expected}/")
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("cases", nargs="?", default="SampleCases")
    parser.add_argument("--presses", type=int, default=20)
    options = parser.parse_args()

    socket = f"myoscope-latency-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    environment = ["-e", "COLORTERM=truecolor", "-e", "LC_ALL=C.UTF-8"]
    tmux(socket, "new-session", "-d", "-x", "120", "-y", "40", *environment,
         "env", "-u", "NO_COLOR", os.path.abspath(options.binary),
         options.cases)
    try:
        wait_for(socket, r"slice 1/")
        idle = [press_and_time(socket) for _ in range(options.presses)]

        tmux(socket, "send-keys", "-t", "0", "c")
        wait_for(socket, r"classifying")
        busy = []
        while len(busy) < options.presses:
            if "classifying" not in screen(socket):
                break
            busy.append(press_and_time(socket))
        # Only presses made while the job still ran count.
        finished = "classifying" not in screen(socket)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"],
                       capture_output=True)

    def describe(name, values):
        values_ms = sorted(v * 1000 for v in values)
        p95 = values_ms[min(len(values_ms) - 1, int(0.95 * len(values_ms)))]
        print(f"{name}: n={len(values_ms)} median={statistics.median(values_ms):.1f} ms "
              f"p95={p95:.1f} ms max={values_ms[-1]:.1f} ms")
        return statistics.median(values_ms)

    idle_median = describe("idle (anchor)", idle)
    if not busy:
        print("the classifier finished before any press; use a larger case",
              file=sys.stderr)
        return 1
    busy_median = describe("while classifying", busy)
    print(f"ratio of medians (classifying / idle): {busy_median / idle_median:.2f}")
    if finished:
        print("(the classifier finished during the last presses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
