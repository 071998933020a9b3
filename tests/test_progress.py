"""bzpeer.progress: one tqdm line redrawn on a terminal, plain lines anywhere else."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from bzpeer.progress import ProgressBar
from tests.factories import make_author


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_each_redraw_is_a_plain_line():
    log = io.StringIO()
    with ProgressBar(log, total=10, interval=0) as bar:
        for _ in range(10):
            bar.update()

    lines = log.getvalue().splitlines()
    assert lines[0].startswith("  0%|")
    assert lines[-1].startswith("100%|##########| 10/10")
    assert len(lines) == 12  # the first draw, one per update (none skipped at 0 s), close()
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()


def test_off_a_terminal_it_draws_at_most_every_interval():
    log = io.StringIO()
    with ProgressBar(log, total=1000) as bar:  # 5 s by default off a terminal
        for _ in range(1000):
            bar.update()

    assert [line[:4] for line in log.getvalue().splitlines()] == ["  0%", "100%"]


def test_on_a_terminal_it_redraws_in_place_and_prints_messages_above_the_bar():
    terminal = Terminal()
    with ProgressBar(terminal, total=2, interval=0) as bar:
        bar.update()
        bar.message("file.jsonl:3: bad JSON")
        bar.update()

    text = terminal.getvalue()
    assert text.startswith("\r  0%|")
    assert text.count("\n") == 2  # the message and the finished bar
    # The bar is wiped (blanks, then back to the start of the line) before the message.
    assert re.search(r"\r +\rfile\.jsonl:3: bad JSON\n\r 50%\|", text)
    assert re.search(r"\r100%\|[^\r\n]+\| 2/2[^\r\n]*\n$", text)


def test_through_an_output_wrapper_no_newline_or_style_is_added():
    terminal = Terminal()
    stderr = OutputWrapper(terminal)
    stderr.style_func = lambda text: f"<red>{text}</red>"  # what a command does on a terminal

    with ProgressBar(stderr, total=1, interval=0) as bar:
        bar.update()

    assert terminal.getvalue().count("\n") == 1
    assert "<red>" not in terminal.getvalue()


def test_without_a_stream_it_is_silent():
    with ProgressBar(None, total=3) as bar:
        bar.update(3)
        bar.message("not shown")
        assert not bar.due()


@pytest.mark.django_db
def test_recompute_trust_shows_done_of_total_and_a_rate():
    for _ in range(3):
        make_author()
    err = io.StringIO()

    call_command("recompute_trust", "--batch-size", "2", stderr=err, stdout=io.StringIO())

    assert re.search(r"^100%\|#+\| 3/3 \[.*author/s\]$", err.getvalue(), re.M)
    assert "\r" not in err.getvalue()

    quiet = io.StringIO()
    call_command("recompute_trust", "--quiet", stderr=quiet, stdout=io.StringIO())
    assert quiet.getvalue() == ""
