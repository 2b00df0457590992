#!/usr/bin/env python3
"""Writes the data-test fixtures beside this script: `python3 make_fixtures.py`.

- tiny-images-idx3-ubyte.gz / tiny-labels-idx1-ubyte.gz: 4 images of 3x5 pixels and their
  labels, gzip with real (deflate) compression, as the MNIST site ships them. Pixel (i, r, c)
  is (i * 40 + r * 5 + c) % 256; labels are 7, 2, 1, 0.
- png-folder/: a tiny image folder of real PNG files (written with zlib, no imaging library):
  red/r1.png 8x8 RGB 8-bit, red/r2.png 6x4 RGBA 8-bit (alpha must be dropped),
  green/g1.png 5x5 RGB 16-bit (must come out as 8-bit), green/notes.txt (must be ignored).
Deterministic: the gzip header carries no time stamp, so rerunning changes no byte.
"""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def idx_fixtures():
    count, rows, cols = 4, 3, 5
    pixels = bytes((i * 40 + r * 5 + c) % 256 for i in range(count) for r in range(rows) for c in range(cols))
    images = struct.pack(">IIII", 2051, count, rows, cols) + pixels
    labels = struct.pack(">II", 2049, count) + bytes([7, 2, 1, 0])
    write(os.path.join(HERE, "tiny-images-idx3-ubyte.gz"), gz(images))
    write(os.path.join(HERE, "tiny-labels-idx1-ubyte.gz"), gz(labels))


def png(width, height, channels, depth, pixel):
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    raw = bytearray()
    for _ in range(height):
        raw.append(0)  # filter: none
        for _ in range(width):
            for value in pixel:
                raw += value.to_bytes(depth // 8, "big")

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def png_folder():
    base = os.path.join(HERE, "png-folder")
    write(os.path.join(base, "red", "r1.png"), png(8, 8, 3, 8, (255, 0, 0)))
    write(os.path.join(base, "red", "r2.png"), png(6, 4, 4, 8, (200, 0, 0, 128)))
    write(os.path.join(base, "green", "g1.png"), png(5, 5, 3, 16, (0, 65535, 0)))
    write(os.path.join(base, "green", "notes.txt"), b"not an image\n")


if __name__ == "__main__":
    idx_fixtures()
    png_folder()
