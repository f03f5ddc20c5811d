"""``python -m zfxxgk``: the command line, every command registered (``zfxxgk.cli`` run as a script lacks ``rollup``)."""

from .cli import main

main()
