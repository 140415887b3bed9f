"""Long output in a terminal goes through a pager, as `git log` does; piped output never does.

The pager is `$PAGER` (empty: none), else `less` with `LESS=FRX` when LESS is unset: quit at once
when the text fits one screen, keep colours, leave the text on screen after quitting. If the
pager cannot be started, the text is printed as it is.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess

from rich.console import Console, RenderableType


def render(console: Console, renderable: RenderableType) -> str:
    """What the console would print, with its colours, as text."""
    with console.capture() as captured:
        console.print(renderable, crop=False)
    return captured.get()


def page(console: Console, renderable: RenderableType, enabled: bool = True) -> None:
    """Show `renderable`, through the pager when the console is a terminal and it is too long."""
    text = render(console, renderable)
    if not enabled or not console.is_terminal or text.count("\n") < console.height:
        console.file.write(text)
        console.file.flush()
        return
    command = os.environ.get("PAGER", "less")
    if not command.strip():
        console.file.write(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    # Ctrl-C belongs to the pager while it runs (it stops a search in less), not to us.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        data = _encoded(text, console.encoding)
        subprocess.run(shlex.split(command), input=data, env=env, check=False)
    except (OSError, ValueError):
        console.file.write(text)
    finally:
        signal.signal(signal.SIGINT, previous)


def _encoded(text: str, encoding: str) -> bytes:
    """`text` in the terminal's encoding, as stdout would write it (`stdio`: ASCII stand-ins
    for what the encoding lacks), so that less shows `-` rather than `<E2><94><80>`."""
    from mlcareer.cli.stdio import ERRORS, register

    register()
    try:
        return text.encode(encoding, ERRORS)
    except LookupError:
        return text.encode("utf-8", ERRORS)
