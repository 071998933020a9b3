"""Where each node's label goes in a graph picture, so that no two labels overlap: pure
geometry, plain data in and out, no ORM.

Nodes are taken most important first (the centre, then by rank). Each tries its label above,
below, right and left of its circle, at full length and then shorter (ending in "…"); the first
box that stays inside the picture and clear of every placed label and every node's circle
wins. A node with no room keeps no label: its full name is still its link's <title> and
accessible name, and the lists beside the picture name every node.

Widths are estimated from the characters (no font metrics on the server), generously, so a
label the browser draws is never wider than the box it was given; the browser tests measure
the real boxes.
"""

from dataclasses import dataclass

# Advance widths in ems, rounded up from DejaVu Sans (the widest common sans-serif).
_NARROW = set("iljtfrI!.,:;'|() ")
_WIDE = set("mwMWOQGDHNU@%&")
_GAP = 3  # between a circle and its label
_PAD = 1.5  # around each label's box
TRUNCATIONS = (24, 18, 13, 9)  # characters kept before "…", tried in turn


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


def text_width(text: str, font_size: float) -> float:
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.4
        elif char in _WIDE:
            ems += 0.95
        elif char.isupper() or char.isdigit():
            ems += 0.75
        else:
            ems += 0.64
    return ems * font_size


def label_texts(label: str) -> list[str]:
    """The label at full length (if short enough), then ever shorter."""
    texts = [label] if len(label) <= TRUNCATIONS[0] + 4 else []
    for keep in TRUNCATIONS:
        if keep < len(label):
            texts.append(label[:keep].rstrip(" ,.:;-(") + "…")
    return texts


def _candidates(cx: float, cy: float, r: float, width: float, font_size: float):
    """(anchor, x, y of the baseline, box) for each side of the circle."""
    ascent, descent = 0.95 * font_size, 0.3 * font_size
    half = width / 2
    above = cy - r - _GAP - descent
    yield "middle", cx, above, Box(cx - half, above - ascent, cx + half, above + descent)
    below = cy + r + _GAP + ascent
    yield "middle", cx, below, Box(cx - half, below - ascent, cx + half, below + descent)
    middle = cy + 0.35 * font_size
    x = cx + r + _GAP
    yield "start", x, middle, Box(x, middle - ascent, x + width, middle + descent)
    x = cx - r - _GAP
    yield "end", x, middle, Box(x - width, middle - ascent, x, middle + descent)


def labels_place(nodes: list[dict], *, size: float, font_size: float) -> list[dict | None]:
    """For each node ({cx, cy, r, label}, most important first), its label {text, x, y,
    anchor} or None, in the order given."""
    circles = [
        Box(n["cx"] - n["r"], n["cy"] - n["r"], n["cx"] + n["r"], n["cy"] + n["r"]) for n in nodes
    ]
    placed: list[Box] = []
    labels: list[dict | None] = []
    for i, node in enumerate(nodes):
        obstacles = placed + circles[:i] + circles[i + 1 :]
        labels.append(None)
        for text in label_texts(node["label"]):
            width = text_width(text, font_size)
            for anchor, x, y, box in _candidates(
                node["cx"], node["cy"], node["r"], width, font_size
            ):
                padded = Box(box.left - _PAD, box.top - _PAD, box.right + _PAD, box.bottom + _PAD)
                inside = (
                    padded.left >= 0
                    and padded.top >= 0
                    and padded.right <= size
                    and padded.bottom <= size
                )
                if inside and not any(padded.overlaps(o) for o in obstacles):
                    placed.append(padded)
                    labels[-1] = {
                        "text": text,
                        "x": round(x, 1),
                        "y": round(y, 1),
                        "anchor": anchor,
                    }
                    break
            if labels[-1] is not None:
                break
    return labels
