"""The `mcval` command line: thin click commands over the stages.

Exit codes: 0 success, 1 findings or an expected failure, 2 usage error,
3 an unexpected internal error, 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mcval import __version__
from mcval.commands import awards_check as awards_check_command
from mcval.commands import awards_issue as awards_issue_command
from mcval.commands import overlap as overlap_command
from mcval.commands import publish as publish_command
from mcval.commands import review as review_command
from mcval.commands import rules as rules_command
from mcval.commands import validate as validate_command
from mcval.errors import McvalError, UsageError
from mcval.scaffold import NewProposalSettings, write_new_proposal
from mcval.settings import (
    CONFIG_NAME,
    AwardsCheckSettings,
    ValidateSettings,
    load_config,
)

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def _find_root(start: Path) -> Path:
    """Return the nearest folder at or above `start` that contains mcval.toml."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def _parse_today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form") from exc


def _finding_options(command: Callable[..., int]) -> Callable[..., int]:
    """Add the arguments and options of commands that report findings."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path)),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "json", "github"]),
            default="text",
            show_default=True,
            help="text for people, json for tools, github for workflow annotations.",
        ),
        click.option(
            "--strict", is_flag=True, help="Fail on warnings as well as errors."
        ),
        click.option(
            "--color/--no-color",
            default=None,
            help="Colour the text output. Default: only on a terminal.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _credly_options(command: Callable[..., int]) -> Callable[..., int]:
    """Add the options that choose the Credly a command sends requests to."""
    options = [
        click.option(
            "--credly-url",
            metavar="URL",
            help="Credly API base URL. Default: CREDLY_BASE_URL, else mcval.toml.",
        ),
        click.option(
            "--organization-id",
            metavar="ID",
            help="Credly organization id. Default: CREDLY_ORGANIZATION_ID, else"
            " mcval.toml.",
        ),
        click.option(
            "--stub-state",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help="Use a local Credly stand-in started for this run, keeping its"
            " records in FILE. For trying mcval out; never real Credly.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mcval")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Repository root. Default: the nearest folder upward with mcval.toml.",
)
@click.option(
    "-v", "--verbose", count=True, help="Log more detail to stderr (-vv for debug)."
)
@click.option(
    "--debug", is_flag=True, help="Show a full traceback for unexpected errors."
)
@click.pass_context
def cli(context: click.Context, root: Path | None, verbose: int, debug: bool) -> None:
    """Micro-credential proposals as code."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    context.obj = {"root": root or _find_root(Path.cwd()), "debug": debug}


@cli.command()
@_finding_options
@click.option(
    "--today", metavar="YYYY-MM-DD", hidden=True, help="Check as of this date."
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Report only files changed since this git revision (the merge base of"
    " REF and HEAD), and check status and id changes against it.",
)
@click.pass_obj
def validate(
    obj: dict[str, Any],
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    color: bool | None,
    today: str | None,
    changed_since: str | None,
) -> int:
    """Check proposals against the schema and the college's guidelines.

    With no PATHS, checks the whole repository. With PATHS (files or
    folders), reports only on those files but still loads the rest for
    cross-file rules.
    """
    root: Path = obj["root"]
    settings = ValidateSettings(
        root=root,
        config=load_config(root),
        paths=paths,
        output_format=output_format,
        strict=strict,
        color=sys.stdout.isatty() if color is None else color,
        today=_parse_today(today),
        changed_since=changed_since or None,
    )
    return validate_command.run(settings, sys.stdout)


@cli.group()
def awards() -> None:
    """Award files: who earned which micro-credential."""


@awards.command("check")
@_finding_options
@click.option(
    "--show-personal-data",
    is_flag=True,
    help="Show learners' e-mail addresses and invalid cell values in full."
    " Default: addresses are masked as a***@example.edu. Not for CI logs.",
)
@click.option(
    "--today", metavar="YYYY-MM-DD", hidden=True, help="Check as of this date."
)
@click.pass_obj
def awards_check(
    obj: dict[str, Any],
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    color: bool | None,
    show_personal_data: bool,
    today: str | None,
) -> int:
    """Check award and revocation files in the awards folder.

    With no PATHS, reports on every file. With PATHS (files or folders),
    reports only on those files but still reads the rest, so a duplicate
    award in another file is found.
    """
    root: Path = obj["root"]
    settings = AwardsCheckSettings(
        root=root,
        config=load_config(root),
        paths=paths,
        output_format=output_format,
        strict=strict,
        color=sys.stdout.isatty() if color is None else color,
        today=_parse_today(today),
        show_personal_data=show_personal_data,
    )
    return awards_check_command.run(settings, sys.stdout)


@awards.command("issue")
@click.option(
    "--apply",
    "apply_plan",
    is_flag=True,
    help="Issue and revoke; without it, only print the plan.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a GitHub job summary and never names a learner.",
)
@click.option(
    "--show-personal-data",
    is_flag=True,
    help="Show learners' e-mail addresses in full. Not for CI logs.",
)
@_credly_options
@click.option(
    "--today", metavar="YYYY-MM-DD", hidden=True, help="Check as of this date."
)
@click.pass_obj
def awards_issue(
    obj: dict[str, Any],
    /,
    apply_plan: bool,
    output_format: str,
    show_personal_data: bool,
    credly_url: str | None,
    organization_id: str | None,
    stub_state: Path | None,
    today: str | None,
) -> int:
    """Issue each award's badge in Credly once, and revoke listed badges.

    Reads every award file, the badges Credly already holds for each badge
    template, and plans only the missing badges, so old award files can be
    read again on every run. Rows with problems are left out; run
    `mcval awards check` for the details.
    """
    root: Path = obj["root"]
    settings = awards_issue_command.AwardsIssueSettings(
        root=root,
        config=load_config(root),
        apply=apply_plan,
        output_format=output_format,
        today=_parse_today(today),
        show_personal_data=show_personal_data,
        base_url=credly_url,
        organization_id=organization_id,
        stub_state=stub_state,
        terminal=sys.stderr.isatty(),
    )
    return awards_issue_command.run(settings, sys.stdout, sys.stderr)


@cli.command()
@click.argument("code", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def rules(code: str | None, output_format: str) -> int:
    """List every finding code with its explanation and an example fix."""
    return rules_command.run(output_format, code, sys.stdout)


@cli.command()
@click.argument("proposal_id", metavar="ID", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a pull request comment or job summary.",
)
@click.pass_obj
def overlap(obj: dict[str, Any], proposal_id: str | None, output_format: str) -> int:
    """Show overlapping competencies and gaps, for proposal ID or all.

    Ranks pairs of proposals by the share of one found in the other, with the
    matching competency statements side by side and the terms they share.
    Also lists competencies that restate a library item or a certification's
    exam domain, library dimensions an adoption leaves out, and competencies
    of a stacking target that no stacked part provides.
    """
    root: Path = obj["root"]
    settings = overlap_command.OverlapSettings(
        root=root,
        config=load_config(root),
        proposal_id=proposal_id,
        output_format=output_format,
    )
    return overlap_command.run(settings, sys.stdout)


@cli.command()
@click.argument("proposal_id", metavar="ID")
@click.option("--title", required=True, help="Badge title, as learners will see it.")
@click.option(
    "--kind",
    type=click.Choice(["unit", "collegewide"]),
    default="unit",
    show_default=True,
)
@click.option(
    "--library-badge", help="For --kind collegewide: the library badge adopted."
)
@click.option("--unit", required=True, help="Sponsoring unit id from approvers.yaml.")
@click.option(
    "--program", default="TODO: sponsoring program", help="Sponsoring program."
)
@click.option("--area", default="TODO: area", help="Area the program belongs to.")
@click.option("--contact-name", default="TODO: contact person", help="Contact person.")
@click.option(
    "--contact-email", default="contact@college.example.edu", help="Contact e-mail."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write. Default: proposals/ID.yaml.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_obj
def new(
    obj: dict[str, Any],
    /,
    proposal_id: str,
    title: str,
    kind: str,
    library_badge: str | None,
    unit: str,
    program: str,
    area: str,
    contact_name: str,
    contact_email: str,
    output: Path | None,
    force: bool,
) -> int:
    """Write a new draft proposal from templates/proposal.yaml.j2."""
    root: Path = obj["root"]
    settings = NewProposalSettings(
        root=root,
        config=load_config(root),
        proposal_id=proposal_id,
        title=title,
        kind=kind,
        library_badge=library_badge,
        unit=unit,
        program=program,
        area=area,
        contact_name=contact_name,
        contact_email=contact_email,
        today=dt.date.today(),
        output=output,
        force=force,
    )
    path = write_new_proposal(settings)
    click.echo(f"Wrote {path}. Fill in each TODO, then run: mcval validate {path}")
    return 0


@cli.command()
@click.option(
    "--apply",
    "apply_plan",
    is_flag=True,
    help="Make the changes; without it, only print the plan.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a GitHub job summary.",
)
@_credly_options
@click.option(
    "--today", metavar="YYYY-MM-DD", hidden=True, help="Check as of this date."
)
@click.pass_obj
def publish(
    obj: dict[str, Any],
    /,
    apply_plan: bool,
    output_format: str,
    credly_url: str | None,
    organization_id: str | None,
    stub_state: Path | None,
    today: str | None,
) -> int:
    """Make Credly's badge templates match the approved proposals.

    Compares every approved or published proposal that validates without
    errors with the badge templates in Credly and prints the plan: create,
    update, unarchive, archive (retired or removed proposals) or unchanged.
    The token comes only from the CREDLY_TOKEN environment variable.
    """
    root: Path = obj["root"]
    settings = publish_command.PublishSettings(
        root=root,
        config=load_config(root),
        apply=apply_plan,
        output_format=output_format,
        today=_parse_today(today),
        base_url=credly_url,
        organization_id=organization_id,
        stub_state=stub_state,
        terminal=sys.stderr.isatty(),
    )
    return publish_command.run(settings, sys.stdout, sys.stderr)


# Reviewer aids: the review document, CODEOWNERS and due dates.


@cli.command()
@click.argument("proposal_id", metavar="ID")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="markdown suits a GitHub job summary; html opens in a browser.",
)
@click.option(
    "--since",
    metavar="REF",
    help="Add what changed in the competencies and rubrics since this git revision.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file. Default: standard output.",
)
@click.option(
    "--today", metavar="YYYY-MM-DD", hidden=True, help="Check as of this date."
)
@click.pass_obj
def render(
    obj: dict[str, Any],
    /,
    proposal_id: str,
    output_format: str,
    since: str | None,
    output: Path | None,
    today: str | None,
) -> int:
    """Write the review document of proposal ID for deans and reviewers.

    Lays out the proposal for reading, with rubric tables, the award process,
    each signature's status (valid, stale, invalid or missing) and the
    validator's findings, from the templates in templates/review/.
    """
    root: Path = obj["root"]
    settings = review_command.RenderSettings(
        root=root,
        config=load_config(root),
        proposal_id=proposal_id,
        output_format=output_format,
        since=since or None,
        output=output,
        today=_parse_today(today),
    )
    return review_command.run_render(settings, sys.stdout)


@cli.command()
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing; exit 1 if .github/CODEOWNERS is out of date.",
)
@click.pass_obj
def codeowners(obj: dict[str, Any], check: bool) -> int:
    """Write .github/CODEOWNERS from approvers.yaml and the proposals' units."""
    root: Path = obj["root"]
    return review_command.run_codeowners(root, load_config(root), check, sys.stdout)


@cli.command()
@click.option(
    "--within",
    default="90d",
    show_default=True,
    metavar="DAYS",
    help="How far ahead to look: days (90d) or weeks (12w).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a GitHub job summary.",
)
@click.option(
    "--today", metavar="YYYY-MM-DD", hidden=True, help="Check as of this date."
)
@click.pass_obj
def expiring(
    obj: dict[str, Any], within: str, output_format: str, today: str | None
) -> int:
    """List approved and published proposals whose review date, or whose
    awarded badges' expiry, falls within the window. Exits 1 when any does."""
    root: Path = obj["root"]
    return review_command.run_expiring(
        root,
        load_config(root),
        within,
        output_format == "markdown",
        _parse_today(today),
        sys.stdout,
    )


@cli.command(
    "credly-stub",
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def credly_stub(arguments: tuple[str, ...]) -> int:
    """Run a local Credly stand-in on 127.0.0.1 (see --help for its options)."""
    from mcval.credly.stub import main as stub_main

    return stub_main(list(arguments))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and turn every outcome into an exit code: the error boundary."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="mcval", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.Abort:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except UsageError as exc:
        _report_error(exc.message, exc.hint)
        return EXIT_USAGE
    except McvalError as exc:
        _report_error(exc.message, exc.hint)
        return EXIT_FAILURE
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _report_error(
            f"internal error: {type(exc).__name__}: {exc}",
            "this is a bug in mcval; run again with --debug for the traceback"
            " and report it",
        )
        return EXIT_INTERNAL
    return code if isinstance(code, int) else 0


def _report_error(message: str, hint: str | None) -> None:
    click.echo(f"Error: {message}", err=True)
    if hint:
        click.echo(f"hint: {hint}", err=True)


if __name__ == "__main__":
    sys.exit(main())
