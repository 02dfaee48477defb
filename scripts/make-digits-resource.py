#!/usr/bin/env python3
"""Builds Sources/DomainAdaptation/Resources/digits.bin from scikit-learn's digits CSV.

Where the CSV comes from
------------------------
The input is `sklearn/datasets/data/digits.csv.gz` inside the scikit-learn wheel (the file
behind `sklearn.datasets.load_digits()`); it is the test set of the UCI "Optical
Recognition of Handwritten Digits" data (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), and
scikit-learn distributes it under BSD-3-Clause. To get it:

    pip download scikit-learn==1.9.1 --no-deps -d /tmp/skl
    cd /tmp/skl && unzip -o scikit_learn-*.whl 'sklearn/datasets/data/digits.csv.gz'
    python3 scripts/make-digits-resource.py /tmp/skl/sklearn/datasets/data/digits.csv.gz

The committed resource was made from scikit-learn 1.9.1, whose digits.csv.gz has SHA-256
09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22 (the file has not
changed across scikit-learn releases for years; any copy with 1797 rows gives the same
bytes). Each CSV row is 64 pixel counts (0...16, an 8x8 image row by row) and the label.

Output layout (all integers little-endian)
------------------------------------------
    offset  size  field
    0       8     magic, ASCII "RGDIGITS"
    8       1     format version, 1
    9       1     image rows, 8
    10      1     image columns, 8
    11      1     largest pixel value, 16
    12      4     image count, UInt32 (1797)
    16      4     FNV-1a 32-bit hash of every byte from offset 20 to the end, UInt32
    20      count x 65 bytes, one record per image in CSV order:
                  64 pixel bytes (0...16, row by row), then 1 label byte (0...9)

The script only uses the Python standard library and writes the same bytes every time.
"""

import csv
import gzip
import struct
import sys
from pathlib import Path

MAGIC = b"RGDIGITS"
VERSION, ROWS, COLUMNS, MAX_PIXEL = 1, 8, 8, 16


def fnv1a32(data: bytes) -> int:
    """The 32-bit FNV-1a hash (offset basis 2166136261, prime 16777619)."""
    h = 2166136261
    for byte in data:
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make-digits-resource.py path/to/digits.csv.gz [output.bin]")
    source = Path(sys.argv[1])
    default = Path(__file__).resolve().parent.parent / "Sources/DomainAdaptation/Resources/digits.bin"
    output = Path(sys.argv[2]) if len(sys.argv) == 3 else default

    records = bytearray()
    count = 0
    with gzip.open(source, "rt", newline="") as text:
        for line, row in enumerate(csv.reader(text), start=1):
            values = [int(float(cell)) for cell in row]
            if len(values) != ROWS * COLUMNS + 1:
                sys.exit(f"{source}: line {line} has {len(values)} cells, expected {ROWS * COLUMNS + 1}")
            *pixels, label = values
            if not all(0 <= p <= MAX_PIXEL for p in pixels) or not 0 <= label <= 9:
                sys.exit(f"{source}: line {line} has a pixel outside 0...{MAX_PIXEL} or a label outside 0...9")
            records += bytes(pixels) + bytes([label])
            count += 1

    header = MAGIC + struct.pack("<4BII", VERSION, ROWS, COLUMNS, MAX_PIXEL, count, fnv1a32(records))
    output.write_bytes(header + records)
    print(f"wrote {output}: {count} images, {len(header) + len(records)} bytes")


if __name__ == "__main__":
    main()
