#!/usr/bin/env python3
"""Bytes and fidelity of terminal renderings: myoscope against chafa and timg.

For each input slice the script exports the windowed slice at its own
resolution (``myoscope render --export``), renders it at the same cell
size with ``myoscope render``, ``chafa --symbols vhalf -c full`` and
``timg -p half``, and reports the bytes of each full frame and the PSNR of
its cell image. The cell image has two samples per cell, decoded from the
glyphs and colours of the output; its reference is the exported slice
averaged by area down to the same number of samples.

It also runs the full-screen viewer in a pseudo-terminal of the same size
and counts the bytes of the first frame, of a slice change and of a key
that changes nothing.

Usage: render_bandwidth.py MYOSCOPE FILE[@SLICE] ... [--size 100x50]
                           [--no-viewer]
SLICE is the 1-based slice of a multi-slice file (default 1). The viewer
always opens the file at its first slice, and --no-viewer leaves it out.
Needs numpy and pillow.
"""
import argparse
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import tempfile
import termios
import time

import numpy as np
from PIL import Image

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-ln-z]")


def palette_colour(index):
    """The RGB colour of an xterm 256-colour index from 16 to 255."""
    if index >= 232:
        level = 8 + 10 * (index - 232)
        return (level, level, level)
    levels = [0, 95, 135, 175, 215, 255]
    index -= 16
    return (levels[index // 36], levels[index // 6 % 6], levels[index % 6])


def decode_cells(text):
    """Decodes ANSI half-block output into rows of (top, bottom) colours."""
    text = OTHER_ESCAPE.sub("", text)
    rows = []
    # Colours carry over a newline, as in a terminal. Before any SGR the
    # cell image assumes white on black.
    foreground, background = (255, 255, 255), (0, 0, 0)
    for line in text.split("\n"):
        cells = []
        position = 0
        while position < len(line):
            match = SGR.match(line, position)
            if match:
                parts = re.split("[;:]", match.group(1))
                index = 0
                while index < len(parts):
                    code = parts[index]
                    if code in ("", "0"):
                        foreground, background = (255, 255, 255), (0, 0, 0)
                        index += 1
                    elif code in ("38", "48") and parts[index + 1] == "2":
                        start = index + 2
                        if parts[start] == "":
                            start += 1
                        colour = tuple(int(v) for v in parts[start:start + 3])
                        if code == "38":
                            foreground = colour
                        else:
                            background = colour
                        index = start + 3
                    elif code in ("38", "48") and parts[index + 1] == "5":
                        colour = palette_colour(int(parts[index + 2]))
                        if code == "38":
                            foreground = colour
                        else:
                            background = colour
                        index += 3
                    else:
                        index += 1
                position = match.end()
                continue
            glyph = line[position]
            position += 1
            if glyph == "\u2580":
                cells.append((foreground, background))
            elif glyph == "\u2584":
                cells.append((background, foreground))
            elif glyph == "\u2588":
                cells.append((foreground, foreground))
            elif glyph == " ":
                cells.append((background, background))
            elif glyph in "\r":
                continue
            else:
                mix = tuple((a + b) // 2 for a, b in zip(foreground, background))
                cells.append((mix, mix))
        # A line without glyphs (the reset after the last newline) is not
        # a row, but a line of spaces is.
        if cells:
            rows.append(cells)
    width = max(len(row) for row in rows)
    image = np.zeros((2 * len(rows), width, 3), dtype=np.float64)
    for y, row in enumerate(rows):
        for x, (top, bottom) in enumerate(row):
            image[2 * y, x] = top
            image[2 * y + 1, x] = bottom
    return image


def content_box(image, threshold=1.0):
    """The bounding box of samples that are not black background."""
    mask = image.max(axis=2) > threshold
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return 0, 0, image.shape[1], image.shape[0]
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def area_average(source, width, height):
    """Averages an image by area down to width x height samples."""
    rows, columns = source.shape[:2]

    def weights(n_in, n_out):
        matrix = np.zeros((n_out, n_in))
        scale = n_in / n_out
        for index in range(n_out):
            start, end = index * scale, (index + 1) * scale
            for pixel in range(int(start), min(n_in, int(np.ceil(end)))):
                overlap = min(end, pixel + 1) - max(start, pixel)
                if overlap > 0:
                    matrix[index, pixel] = overlap / scale
        return matrix

    vertical = weights(rows, height)
    horizontal = weights(columns, width)
    return np.einsum("yr,rcx,wc->ywx", vertical, source, horizontal)


def psnr(cell_image, source, sample_rows=None):
    """PSNR of a cell image against the source averaged by area to the
    same number of samples. `sample_rows` limits the comparison to the
    rows that carry the image: myoscope pads the bottom half of the last
    cell row when the fitted height is an odd number of samples."""
    crop = cell_image if sample_rows is None else cell_image[:sample_rows]
    reference = area_average(source, crop.shape[1], crop.shape[0])
    error = np.mean((crop - reference) ** 2)
    return float("inf") if error == 0 else 10 * np.log10(255.0 ** 2 / error)


def run(command):
    return subprocess.run(command, capture_output=True, check=True).stdout


def viewer_bytes(myoscope, path, columns, rows):
    """Bytes the viewer sends for its first frame, a slice change and a
    key that changes nothing, in a pseudo-terminal of the given size."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLORTERM"] = "truecolor"
        os.environ.pop("NO_COLOR", None)
        os.execv(myoscope, [myoscope, path])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def drain(seconds):
        data = b""
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    data += os.read(fd, 1 << 16)
                except OSError:
                    break
        return data

    first = drain(4.0)
    os.write(fd, b"]")
    change = drain(2.0)
    os.write(fd, b"x")
    nothing = drain(1.0)
    os.write(fd, b"q")
    drain(0.5)
    os.waitpid(pid, 0)
    return len(first), len(change), len(nothing)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("myoscope")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--size", default="100x50")
    parser.add_argument("--no-viewer", action="store_true")
    arguments = parser.parse_args()
    columns, rows = (int(v) for v in arguments.size.split("x"))
    print(f"# cell size {columns}x{rows}")
    print("file | renderer | bytes | ratio to chafa | PSNR dB")
    with tempfile.TemporaryDirectory() as folder:
        for argument in arguments.files:
            path, _, slice_number = argument.partition("@")
            exported = os.path.join(folder, "slice.png")
            run([arguments.myoscope, "render", path, "--size", arguments.size,
                 "--slice", slice_number or "1", "--export", exported])
            source = np.asarray(Image.open(exported).convert("RGB"),
                                dtype=np.float64)
            shown = os.path.join(folder, "shown.png")
            outputs = {
                # Colours named explicitly: render's default follows
                # NO_COLOR and TERM.
                "myoscope": run([arguments.myoscope, "render", exported,
                                 "--size", arguments.size,
                                 "--color", "truecolor", "--png", shown]),
                "chafa": run(["chafa", "--symbols", "vhalf", "-c", "full",
                              "--size", arguments.size, exported]),
                "timg": run(["timg", "-p", "half", f"-g{arguments.size}",
                             exported]),
            }
            chafa_bytes = len(outputs["chafa"])
            name = os.path.basename(path) + (
                f" slice {slice_number}" if slice_number else "")
            # The --png image has the fitted size in samples, without the
            # padding of an odd last row.
            myoscope_rows = Image.open(shown).size[1]
            for renderer, data in outputs.items():
                image = decode_cells(data.decode("utf-8", "replace"))
                quality = psnr(
                    image, source,
                    myoscope_rows if renderer == "myoscope" else None)
                print(f"{name} | {renderer} | {len(data)} | "
                      f"{len(data) / chafa_bytes:.2f} | {quality:.1f}")
            if arguments.no_viewer:
                continue
            first, change, nothing = viewer_bytes(
                arguments.myoscope, path, columns, rows)
            print(f"{name} | viewer first frame | {first} | "
                  f"{first / chafa_bytes:.2f} | -")
            print(f"{name} | viewer slice change | {change} | - | -")
            print(f"{name} | viewer unchanged redraw | {nothing} | - | -")


if __name__ == "__main__":
    main()
