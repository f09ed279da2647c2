"""Errors that are the user's to fix: the CLI prints them as one line and exits 2."""


class UserError(Exception):
    """A mistake in the user's input or options (missing file, bad JSON on line N, ...).

    The message is complete on its own: ``FILE:LINE: what is wrong`` where a
    file and line are known.
    """


class Interrupted(Exception):
    """Ctrl-C during a run: the CLI prints the message (what was kept and how to
    continue) as one line and exits 130, the shell's code for an interrupt."""
