"""Progress bars for management commands, on tqdm, that also read well in logs and CI.

tqdm redraws its line with "\\r", which a terminal shows in place but a log file keeps as one
ever-growing line. ProgressBar hands tqdm a small file-like adapter instead of the stream: on a
terminal it passes the redraws through; anywhere else each redraw becomes one plain line
(no "\\r", no ANSI escapes), at most every `interval` seconds.
"""

import os
import re
from typing import Any, TextIO

from django.core.management.base import OutputWrapper
from tqdm import tqdm

# Cursor movements tqdm may emit (nested bars); meaningless in a log.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _unstyled(text: str) -> str:
    return text


class _Sink:
    """What tqdm writes to. Writes through OutputWrapper.write with no ending and no style (its
    newline would break the redraw; its colour, red on stderr, would paint the bar)."""

    def __init__(self, stream: TextIO | OutputWrapper) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.encoding = getattr(stream, "encoding", None)  # tqdm picks its bar characters by it
        self._pending = ""

    def write(self, text: str) -> None:
        if self.tty:
            self._out(text)
            return
        # A redraw is "\r" + line + padding, then flush(): the flush ends the line.
        *lines, self._pending = re.split(r"[\r\n]", self._pending + text)
        for line in lines:
            self._line(line)

    def flush(self) -> None:
        if not self.tty:
            self._line(self._pending)
            self._pending = ""
        self.stream.flush()

    def columns(self) -> int | None:
        """The terminal's width less one (writing the last column wraps on some terminals), or
        None if unknown. A pty can report 0 (`script`, some CI runners); tqdm would then draw
        nothing at all, so this is done here rather than by tqdm's dynamic_ncols."""
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return None
        return width - 1 if width > 1 else None

    def _line(self, text: str) -> None:
        text = _ANSI_ESCAPE.sub("", text).rstrip()
        if text:  # tqdm clears a line by drawing blanks over it: nothing to log
            self._out(text + "\n")

    def _out(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, style_func=_unstyled, ending="")
        else:
            self.stream.write(text)


class ProgressBar(tqdm):
    """A tqdm bar on `stream` (a command's self.stderr, sys.stderr, any text stream), silent
    when it is None. Redrawn at most every `interval` seconds: 0.2 on a terminal, 5 elsewhere.
    Other keyword arguments go to tqdm (unit, bar_format, ...)."""

    monitor_interval = 0  # no watchdog thread per process: we redraw on update() only

    def __init__(
        self,
        stream: TextIO | OutputWrapper | None,
        *,
        total: int,
        interval: float | None = None,
        **kwargs: Any,
    ) -> None:
        self.sink = _Sink(stream) if stream is not None else None
        tty = self.sink is not None and self.sink.tty
        self.interval = interval if interval is not None else (0.2 if tty else 5.0)
        super().__init__(
            total=total,
            file=self.sink,
            disable=self.sink is None,
            mininterval=self.interval,
            miniters=0,  # pace by time only: a slow stretch still shows up every interval
            position=0,  # one line, even if an earlier bar was left unclosed by an exception
            ascii=None if tty else True,  # logs get "#", a terminal gets blocks if it can
            **kwargs,
        )

    @property
    def format_dict(self) -> dict[str, Any]:
        # Measured at each redraw: the bar fills the terminal and follows resizes.
        if self.sink is not None and self.sink.tty:
            self.ncols = self.sink.columns()
        return super().format_dict

    def due(self) -> bool:
        """Whether the next update() would redraw: lets a caller skip working out a costly
        position most of the time."""
        return not self.disable and self._time() - self.last_print_t >= self.mininterval

    def update_to(self, n: float) -> None:
        """Set the position (rather than add to it) and redraw if due."""
        self.update(n - self.n)

    def message(self, text: str) -> None:
        """Print a line of its own, above the bar on a terminal (not garbling it)."""
        if self.sink is None:
            return
        with self.get_lock():
            redraw = self.sink.tty and not self.disable
            if redraw:
                self.clear(nolock=True)
            self.sink.write(text + "\n")
            self.sink.flush()
            if redraw:  # off a terminal the next scheduled line will do
                self.refresh(nolock=True)

    def __del__(self) -> None:
        # Dropped without close(), i.e. an exception went past it: do not draw it again, which
        # in a log would read as if the work went on after the error.
        self.leave = False
        super().__del__()
