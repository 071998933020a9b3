"""graph/labels.py: labels placed beside their nodes, never over one another or a node, never
outside the picture; shortened, then dropped, when there is no room. Pure: no database."""

import itertools
import math

from graph.labels import Box, label_texts, labels_place, text_width


def _box(label: dict, font_size: float) -> Box:
    width = text_width(label["text"], font_size)
    left = {"middle": label["x"] - width / 2, "start": label["x"], "end": label["x"] - width}
    x = left[label["anchor"]]
    return Box(x, label["y"] - 0.95 * font_size, x + width, label["y"] + 0.3 * font_size)


def _ring(n: int, size: float = 640, label: str = "Raphael Gontijo-Lopes") -> list[dict]:
    half = size / 2
    return [
        {
            "cx": half + 0.8 * half * math.cos(2 * math.pi * i / n),
            "cy": half + 0.8 * half * math.sin(2 * math.pi * i / n),
            "r": 7,
            "label": f"{label} {i}",
        }
        for i in range(n)
    ]


def test_it_places_every_label_of_a_sparse_picture_in_full():
    nodes = _ring(8)

    labels = labels_place(nodes, size=640, font_size=12)

    assert [label["text"] for label in labels] == [n["label"] for n in nodes]


def test_no_two_labels_overlap_and_none_leaves_the_picture_or_covers_a_node():
    nodes = [{"cx": 320, "cy": 320, "r": 13, "label": "Mitchell Wortsman"}, *_ring(60)]

    for font_size in (12, 22):
        labels = labels_place(nodes, size=640, font_size=font_size)
        boxes = [_box(label, font_size) for label in labels if label]
        assert all(b.left >= 0 and b.top >= 0 and b.right <= 640 and b.bottom <= 640 for b in boxes)
        assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
        circles = [
            Box(n["cx"] - n["r"], n["cy"] - n["r"], n["cx"] + n["r"], n["cy"] + n["r"])
            for n in nodes
        ]
        assert not any(b.overlaps(c) for b in boxes for c in circles)
        # Crowded: the first (most important) node always keeps its label, some lose theirs.
        assert labels[0]["text"] == "Mitchell Wortsman"
        assert None in labels


def test_long_labels_are_shortened_with_an_ellipsis():
    title = "Model soups: averaging weights of multiple fine-tuned models improves accuracy"

    texts = label_texts(title)

    assert title not in texts
    assert texts[0] == "Model soups: averaging w…"
    assert all(t.endswith("…") for t in texts)
    assert [len(t) for t in texts] == sorted((len(t) for t in texts), reverse=True)
    assert label_texts("Ali Farhadi") == ["Ali Farhadi", "Ali Farha…"]
