#!/usr/bin/env python3
"""tuicolors.py - reads the colors of a tmux capture (capture-pane -e -p) the
way a person sees them, for the color tests (tests/tui_ramp.sh).

  tuicolors.py cells            every heatmap value on screen: "value r g b bold
                                under reverse sign" (the background's RGB, the
                                foreground's when only the text is colored), one
                                a line; the cursor's cell, step-score rows, the
                                header and the status are left out
  tuicolors.py check MODE       checks, from the capture on stdin, that colors
                                follow the values: MODE 256 or truecolor: the
                                background gets darker (CIE L*) as |value| grows,
                                blue below zero, red above; MODE 8: the step
                                (plain, colored text, bold colored text, white on
                                the color, bold white on the color) never falls
                                as |value| grows, blue below zero, red above;
                                MODE mono: weight (plain, bold, reverse) never
                                falls, underline only below zero (and on every
                                bold or reverse value below zero).  Prints "N cells" or the first violations
                                and exits 1.
  tuicolors.py bar              the colorbar's cells (line 2): "L* hue" each
"""
import re
import sys

LV = [0, 95, 135, 175, 215, 255]
BASE = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
        (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
        (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def palette(i):
    if i < 16:
        return BASE[i]
    if i < 232:
        i -= 16
        return (LV[i // 36], LV[(i // 6) % 6], LV[i % 6])
    g = 8 + 10 * (i - 232)
    return (g, g, g)


def lightness(rgb):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(x) for x in rgb)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def parse(lines):
    """Each line as a list of (char, state); state = dict(fg, bg, fgi, bgi, bold, dim, under, rev)."""
    out = []
    st = dict(fg=None, bg=None, fgi=None, bgi=None, bold=False, dim=False, under=False, rev=False)
    for line in lines:
        row = []
        for part in re.split(r"(\x1b\[[0-9;:]*m)", line.rstrip("\n")):
            m = re.fullmatch(r"\x1b\[([0-9;:]*)m", part)
            if not m:
                for ch in part:
                    row.append((ch, dict(st)))
                continue
            a = [int(x) if x else 0 for x in re.split("[;:]", m.group(1))] or [0]
            i = 0
            while i < len(a):
                c = a[i]
                if c == 0:
                    st.update(fg=None, bg=None, fgi=None, bgi=None, bold=False, dim=False,
                              under=False, rev=False)
                elif c == 1:
                    st["bold"] = True
                elif c == 2:
                    st["dim"] = True
                elif c == 4:
                    st["under"] = True
                elif c == 7:
                    st["rev"] = True
                elif c == 22:
                    st["bold"] = st["dim"] = False
                elif c == 24:
                    st["under"] = False
                elif c == 27:
                    st["rev"] = False
                elif 30 <= c <= 37 or 90 <= c <= 97:
                    k = c - 30 if c < 90 else c - 90 + 8
                    st["fg"], st["fgi"] = palette(k), k
                elif 40 <= c <= 47 or 100 <= c <= 107:
                    k = c - 40 if c < 100 else c - 100 + 8
                    st["bg"], st["bgi"] = palette(k), k
                elif c == 39:
                    st["fg"] = st["fgi"] = None
                elif c == 49:
                    st["bg"] = st["bgi"] = None
                elif c in (38, 48):
                    k = "fg" if c == 38 else "bg"
                    if i + 1 < len(a) and a[i + 1] == 5:
                        st[k], st[k + "i"] = palette(a[i + 2]), a[i + 2]
                        i += 2
                    elif i + 1 < len(a) and a[i + 1] == 2:
                        st[k], st[k + "i"] = tuple(a[i + 2:i + 5]), None
                        i += 4
                i += 1
        out.append(row)
    return out


NUM = re.compile(r"-?\d+\.\d+")
YELLOW = {(255, 255, 0), (205, 205, 0)}


def cells(rows):
    """(value, state of the first character) of every heatmap value."""
    res = []
    for y, row in enumerate(rows):
        text = "".join(ch for ch, _ in row)
        # header (2 lines), status and footer (2 lines), step-score rows
        if y < 2 or y >= len(rows) - 2 or not re.match(r"^ *\d+ ", text):
            continue
        for m in NUM.finditer(text):
            st = row[m.start()][1]
            if st["bg"] in YELLOW or st["bgi"] in (3, 11, 226) or (st["rev"] and st["bold"]):
                continue   # the cursor (bold reverse in monochrome)
            res.append((float(m.group()), st))
    return res


def hue(rgb):
    r, g, b = rgb
    return "red" if r > b + 8 else "blue" if b > r + 8 else "neutral"


def check(mode, rows):
    errs = []
    cs = cells(rows)
    if len(cs) < 10:
        return ["only %d value cells on screen" % len(cs)], cs
    if mode in ("256", "truecolor"):
        seen = []
        for v, st in cs:
            bg = st["bg"] or (255, 255, 255)
            if mode == "256" and st["bg"] is not None and st["bgi"] is None:
                errs.append("%g: a 24-bit color in 256-color mode" % v)
            if mode == "truecolor" and st["bg"] is not None and st["bgi"] is not None \
                    and st["bgi"] >= 16:
                errs.append("%g: a palette color (%d) in truecolor mode" % (v, st["bgi"]))
            h = hue(bg)
            if (v > 0 and h == "blue") or (v < 0 and h == "red"):
                errs.append("%g: %s background %s" % (v, h, bg))
            seen.append((v, lightness(bg)))
        for sign in (1, -1):
            side = sorted((abs(v), l) for v, l in seen if v * sign > 0)
            for (a, la), (b, lb) in zip(side, side[1:]):
                if b > a and lb > la + 1e-6:
                    errs.append("%s: |%g| has L* %.1f but |%g| %.1f" %
                                ("positive" if sign > 0 else "negative", a, la, b, lb))
    elif mode == "8":
        seen = []
        for v, st in cs:
            if st["bgi"] in (1, 4):
                step, color = 3 + st["bold"], st["bgi"]
            elif st["fgi"] in (1, 4):
                step, color = 1 + st["bold"], st["fgi"]
            else:
                step, color = 0, None
            if st["bg"] is not None and st["bgi"] not in (1, 4) or \
                    (st["fgi"] is not None and st["fgi"] > 15):
                errs.append("%g: not one of the 8 colors" % v)
            if color is not None and (color == 4) != (v < 0):
                errs.append("%g: %s" % (v, "blue" if color == 4 else "red"))
            seen.append((v, step))
        for sign in (1, -1):
            side = sorted((abs(v), s) for v, s in seen if v * sign > 0)
            for (a, sa), (b, sb) in zip(side, side[1:]):
                if b > a and sb < sa:
                    errs.append("|%g| at step %d but |%g| at %d" % (a, sa, b, sb))
    elif mode == "mono":
        seen = []
        for v, st in cs:
            if st["bg"] is not None or st["fg"] is not None:
                errs.append("%g: colored in monochrome" % v)
            w = 3 if st["rev"] else 2 if st["bold"] else 0 if st["dim"] else 1
            # underlined: below zero (all but the values next to zero)
            if (st["under"] and v >= 0) or (w > 1 and v < 0 and not st["under"]):
                errs.append("%g: underline %s" % (v, st["under"]))
            seen.append((abs(v), w))
        seen.sort()
        for (a, wa), (b, wb) in zip(seen, seen[1:]):
            if b > a and wb < wa:
                errs.append("|%g| weighs %d but |%g| %d" % (a, wa, b, wb))
    return errs, cs


def main():
    rows = parse(sys.stdin.readlines())
    if sys.argv[1] == "cells":
        for v, st in cells(rows):
            c = st["bg"] or st["fg"] or (255, 255, 255)
            print(v, *c, int(st["bold"]), int(st["under"]), int(st["rev"]))
    elif sys.argv[1] == "check":
        errs, cs = check(sys.argv[2], rows)
        if errs:
            print("\n".join(errs[:10]))
            sys.exit(1)
        print("%d cells" % len(cs))
    elif sys.argv[1] == "bar":
        # the cells of line 2 whose background is not the header's
        row = rows[1]
        bgs = [st["bg"] for _, st in row]
        common = max(set(bgs), key=bgs.count)
        bar = [(ch, st["bg"]) for ch, st in row if st["bg"] != common and st["bg"] is not None
               and st["bg"] not in YELLOW]
        print(" ".join("%s%.0f" % (hue(bg)[0], lightness(bg)) for _, bg in bar))
        # blue getting lighter up to white, then red getting darker
        hues = [hue(bg) for _, bg in bar]
        ls = [lightness(bg) for _, bg in bar]
        errs = []
        if "red" in hues and "blue" in hues and \
                max(i for i, h in enumerate(hues) if h == "blue") > hues.index("red"):
            errs.append("blue after red")
        for i in range(1, len(bar)):
            if hues[i] == "blue" and ls[i] < ls[i - 1] - 1e-6:
                errs.append("blue darker at %d" % i)
            if hues[i] == "red" and hues[i - 1] != "blue" and ls[i] > ls[i - 1] + 1e-6:
                errs.append("red lighter at %d" % i)
        if len(bar) < 8:
            errs.append("only %d bar cells" % len(bar))
        if errs:
            print("; ".join(errs))
            sys.exit(1)


if __name__ == "__main__":
    main()
