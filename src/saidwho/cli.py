"""Command line: the ``saidwho`` app, its commands registered, and one way out for errors.

The commands live with their packages: ``score`` in :mod:`saidwho.batch.command`;
``eval``, ``agreement`` and ``bench`` in :mod:`saidwho.evaluation.command`;
``train``, ``train-context`` and ``train-rules`` in :mod:`saidwho.training.command`;
``convert`` in :mod:`saidwho.corpora.command`; ``validate`` in :mod:`saidwho.validate`;
``report`` in :mod:`saidwho.report.command`; ``export``/``import labelstudio`` in
:mod:`saidwho.labelstudio.command`; ``serve`` in :mod:`saidwho.serve.command`.

User mistakes (missing file, bad JSON on line N, empty article, unknown
model) print one line ``saidwho: FILE:LINE: what is wrong`` and exit 2;
output files are written atomically, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import sys

import typer

from saidwho import __version__
from saidwho.errors import Interrupted, UserError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Who said what: label each sentence of a news article as reported fact, sourced claim (with its speaker) or opinion.",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"saidwho {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    pass


def _register() -> None:
    # Each command lives with its package; the order here is the order of --help.
    from saidwho.batch.command import score
    from saidwho.corpora.command import convert
    from saidwho.evaluation.command import agreement, bench, eval_command
    from saidwho.labelstudio.command import export_labelstudio, import_labelstudio
    from saidwho.report.command import report
    from saidwho.serve.command import serve
    from saidwho.training.command import train_command, train_context_command, train_rules
    from saidwho.validate import validate_command

    app.command()(score)
    app.command("eval")(eval_command)
    app.command()(agreement)
    app.command()(convert)
    app.command("validate")(validate_command)
    app.command("train-rules")(train_rules)
    app.command("report")(report)
    app.command()(serve)
    export_app = typer.Typer(no_args_is_help=True, help="Write records for other tools.")
    import_app = typer.Typer(no_args_is_help=True, help="Read other tools' output as records.")
    export_app.command("labelstudio")(export_labelstudio)
    import_app.command("labelstudio")(import_labelstudio)
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
    app.command()(bench)
    app.command("train")(train_command)
    app.command("train-context")(train_context_command)


_register()


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except UserError as exc:
        # Plain write, not rich: the message must stay one unwrapped line.
        sys.stderr.write(f"saidwho: {exc}\n")
        sys.exit(2)
    except Interrupted as exc:
        sys.stderr.write(f"saidwho: {exc}\n")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.stderr.write("saidwho: interrupted\n")
        sys.exit(130)
    except typer.Exit as exc:
        # typer turns Ctrl-C into Exit(130) with nothing said.
        if isinstance(exc.__cause__, KeyboardInterrupt):
            sys.stderr.write("saidwho: interrupted\n")
        sys.exit(exc.exit_code)
    except Exception as exc:  # usage errors: unknown option, missing argument, bad value
        import click

        # typer 0.29 and later carry their own copy of click, with its own exception classes.
        usage = (click.exceptions.ClickException, getattr(typer, "TyperException", click.exceptions.ClickException))
        aborts = (click.exceptions.Abort, getattr(typer, "Abort", click.exceptions.Abort))
        if isinstance(exc, aborts):
            sys.exit(1)
        if isinstance(exc, usage) and hasattr(exc, "show"):
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2) or 2)
        raise
    # Without standalone mode click returns the code of typer.Exit instead of exiting.
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
