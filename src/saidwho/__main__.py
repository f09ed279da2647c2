"""``python -m saidwho``: the command line."""

from saidwho.cli import main

main()
