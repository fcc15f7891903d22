#!/usr/bin/env python3
"""Writes data/registry/pinyin_initials.csv: each Chinese character's pinyin initial letters.

Input: the character readings of the pinyin-data project as packaged by Debian in
golang-github-mozillazg-go-pinyin-dev (MIT; /usr/share/gocode/src/github.com/mozillazg/go-pinyin/
pinyin_dict.go). Output columns: codepoint (hex), initials: the first letter of each reading,
without tone marks, in the order of the readings (the first is the most common), duplicates
dropped. Run: python3 scripts/gen_pinyin_initials.py > data/registry/pinyin_initials.csv
"""
import re
import sys
import unicodedata

SOURCE = "/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go"


def initial(reading):
    base = unicodedata.normalize("NFD", reading)[0].lower()
    if not "a" <= base <= "z":
        raise ValueError(f"reading {reading!r}")
    return base


def main():
    entry = re.compile(r'^\s*0x([0-9A-F]+): "([^"]+)",$')
    out = ["codepoint,initials"]
    for line in open(SOURCE, encoding="utf-8"):
        m = entry.match(line)
        if not m:
            continue
        letters = []
        for reading in m.group(2).split(","):
            c = initial(reading)
            if c not in letters:
                letters.append(c)
        out.append(f"{m.group(1)},{''.join(letters)}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
