#!/usr/bin/env python3
"""Regenerates the malformed policies that cannot be written by hand as text.

The generated files are committed next to this script, so the corpus exists
without running it; run it again only to change or restore them:

    python3 tests/data/bad/make_binary_cases.py

Each file holds exactly one mistake; tests/data/bad/expected.tsv says where
heinrich must report it.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = b'version = 1\ntimezone = "Asia/Seoul"\n'

CASES = {
    # A NUL byte inside a string value (line 5, column 14).
    "binary_nul_in_string.toml":
        HEADER + b'\n[[factor]]\nname = "week\x00end"\ndays = ["sat", "sun"]\nrisk = 45\n',
    # A NUL byte where a key should start (line 4, column 1).
    "binary_nul_line_start.toml":
        HEADER + b'\n\x00[thresholds]\nwarn = 40\n',
    # An invalid UTF-8 byte (0xFF) inside a string value (line 5, column 13).
    "binary_invalid_utf8.toml":
        HEADER + b'\n[[factor]]\nname = "caf\xc3\xa9\xff"\ndays = ["sat", "sun"]\nrisk = 45\n',
    # An invalid UTF-8 byte in a key on line 3 (column 3): it was reported
    # at the end of line 2.
    "binary_invalid_utf8_key.toml":
        HEADER + b'ri\xffsk = 45\n',
    # A truncated multi-byte sequence (0xE2 0x82 without its last byte).
    "binary_truncated_utf8.toml":
        HEADER + b'\n[[factor]]\nname = "euro \xe2\x82"\ndays = ["sat", "sun"]\nrisk = 45\n',
    # A UTF-8 byte-order mark, then a wrong type on line 3.
    "binary_bom_error_line3.toml":
        b'\xef\xbb\xbf' + HEADER + b'thresholds = { warn = 40, block = "high" }\n',
    # A UTF-8 byte-order mark, then a wrong value on line 1 itself: the BOM
    # must shift neither the column nor the caret.
    "binary_bom_error_line1.toml":
        b'\xef\xbb\xbf' + b'version = 2\ntimezone = "Asia/Seoul"\n',
    # Windows line endings; the shown line must not carry the '\r'.
    "binary_crlf_wrong_type.toml":
        HEADER.replace(b'\n', b'\r\n') + b'\r\n[[factor]]\r\nname = "weekend"\r\ndays = ["sat", "sun"]\r\nrisk = "high"\r\n',
    # Arrays nested 320 deep: beyond toml++'s limit of 256 nested values.
    "syntax_deep_nesting.toml":
        HEADER + b'a = ' + b'[' * 320 + b']' * 320 + b'\n',
}


def main() -> None:
    for name, data in CASES.items():
        with open(os.path.join(HERE, name), "wb") as out:
            out.write(data)
    print(f"wrote {len(CASES)} files to {HERE}")


if __name__ == "__main__":
    main()
