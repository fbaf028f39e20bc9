"""The `offramp` command and its subcommands.

Exit status: 0 on success, 2 for bad content, saves or arguments, 1 for other failures.
Heavy imports (Textual) happen inside the subcommands that need them, so `validate`
and `schema` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.buildcheck import REBUILD, stale_extensions
from game.classroom import DEFAULT_HOST, DEFAULT_PORT
from game.content import resolve_scenario_dir
from game.content.errors import ContentError

if TYPE_CHECKING:
    from game.content.scenario import Scenario

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


def _load(name: str | None) -> Scenario:
    from game.content.loader import load_scenario

    return load_scenario(resolve_scenario_dir(name))


def _print_problems(exc: ContentError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    count = len(exc.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a scenario folder and report every problem."""
    folder = resolve_scenario_dir(args.scenario)
    from game.classroom.exercise import is_exercise_file, load_exercise

    if is_exercise_file(folder):
        exercise = load_exercise(folder)
        print(
            f"{folder}: OK — exercise {exercise.info.title!r} on scenario "
            f"{exercise.scenario.id!r}, seed {exercise.info.seed}, class "
            f"{exercise.info.class_code!r}, {len(exercise.injects)} scheduled injects."
        )
        from game.classroom.report import degenerate_outcome

        warning = degenerate_outcome(exercise)
        if warning:
            print(f"{folder}: exercise.turn_limit: warning: {warning}", file=sys.stderr)
        return EXIT_OK
    from game.content.lint import check_scenario

    scenario, warnings = check_scenario(folder)
    for problem in warnings:  # an info line is not a problem: it goes with the OK line
        print(problem, file=sys.stdout if problem.severity == "info" else sys.stderr)
    count = sum(p.severity == "warning" for p in warnings)
    if count and args.strict:
        print(
            f"{count} warning{'s' if count != 1 else ''} found (errors with --strict).",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    counts = [
        (len(scenario.cards), "card", "cards"),
        (len(scenario.events), "event", "events"),
        (len(scenario.endings), "ending", "endings"),
        (len(scenario.lenses), "lens", "lenses"),
        (len(scenario.ladder.rungs), "rung", "rungs"),
    ]
    parts = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
    noted = f", {count} warning{'s' if count != 1 else ''}" if count else ""
    print(f"{folder}: OK — scenario {scenario.id!r}: {parts}{noted}.")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the content format."""
    from game.content.schema import content_schema_json, reference_markdown

    text = reference_markdown() if args.reference else content_schema_json()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    """Print a saved game's timeline, turn by turn."""
    from game.saves import load_save
    from game.timeline import render_timeline

    save = load_save(Path(args.save), scenario_dir=args.scenario)
    sys.stdout.write(render_timeline(save.scenario, save.history()))
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    """Play many games with scripted strategies and report balance."""
    from game.sim import (
        build_report,
        coverage_text,
        default_strategy_names,
        report_json,
        report_markdown,
        report_text,
        run_coverage,
        simulate,
    )

    if args.runs < 1:
        raise UsageError(f"--runs must be at least 1, not {args.runs}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    scenario = _load(args.scenario)
    lenses = args.lens or [lens.id for lens in scenario.lenses]
    for lens in lenses:
        if lens not in scenario.lens:
            raise UsageError(f"unknown lens {lens!r} (lenses: {', '.join(scenario.lens)})")
    with _progress(
        args.runs
        * len(lenses)
        * (1 if args.coverage else len(args.strategy or default_strategy_names(scenario)))
    ) as tick:
        if args.coverage:
            result = run_coverage(scenario, lenses, args.runs, args.seed, tick)
            text = report_json(result) if args.json else coverage_text(result)
            failed = bool(result["invariant_failures"])
        else:
            strategies = args.strategy or default_strategy_names(scenario)
            records = simulate(scenario, strategies, lenses, args.runs, args.seed, args.jobs, tick)
            report = build_report(scenario, records, strategies, lenses, args.runs, args.seed)
            if args.json:
                text = report_json(report)
            elif args.markdown:
                text = report_markdown(scenario, report)
            else:
                text = report_text(scenario, report)
            failed = False
    _emit(text, args.output)
    return EXIT_FAIL if failed else EXIT_OK


class UsageError(Exception):
    """A bad command-line argument."""


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _progress(total: int) -> Any:
    """A progress bar on stderr when it is a terminal; a no-op otherwise."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.progress import Progress

    @contextlib.contextmanager
    def bar() -> Iterator[Callable[[int, int], None]]:
        with Progress(transient=True, console=None) as progress:
            task = progress.add_task("simulating", total=total)
            yield lambda done, _total: progress.update(task, completed=done)

    return bar()


def cmd_inject(args: argparse.Namespace) -> int:
    """Push an event to every running session of a class (applied at their next turn).

    The class and its folder must be a class that plays: the exercise's code (``--class``
    may repeat it), and a class folder that exists under ``--saves``, so an inject never
    lands in an inbox no game reads."""
    from game.classroom.exercise import CLASS_CODE, load_exercise
    from game.classroom.inbox import push_inject
    from game.classroom.roster import class_dir

    code = args.class_code
    if code is not None and not CLASS_CODE.fullmatch(code):
        raise UsageError(f"bad class code {code!r}")
    if args.exercise:
        exercise = load_exercise(Path(args.exercise))
        scenario = exercise.scenario
        if code is not None and code != exercise.info.class_code:
            raise UsageError(
                f"--class {code!r} is not this exercise's class "
                f"({exercise.info.class_code!r}); leave --class out to use the exercise's"
            )
        code = exercise.info.class_code
    else:
        if code is None:
            raise UsageError("give --exercise FILE (or --class CODE with --scenario)")
        scenario = _load(args.scenario)
    if args.event not in scenario.event:
        known = ", ".join(e.id for e in scenario.events if e.inject_only) or "none"
        raise UsageError(
            f"unknown event {args.event!r} in scenario {scenario.id!r} "
            f"(inject-only events: {known})"
        )
    folder = class_dir(Path(args.saves), code)
    if not folder.is_dir():
        raise UsageError(
            f"no class folder {folder}: no game of class {code!r} has started in "
            f"{args.saves}/ (run this where offramp serve runs, or give --saves)"
        )
    path = push_inject(Path(args.saves), code, args.event)
    print(f"pushed {args.event!r} to class {code!r} ({path}); each game applies it next turn")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Create a minimal, valid scenario folder to start from."""
    from game.content import CONTENT_ROOT
    from game.content.scaffold import new_scenario

    folder = new_scenario(args.name, Path(args.dir) if args.dir else CONTENT_ROOT)
    print(f"created {folder}: edit its TOML files, then run `offramp validate {folder}`")
    return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    """Play: the Textual app, or plain text lines with --plain."""
    from game.classroom.lifeline import end_with_server

    end_with_server()  # a game `offramp serve` started ends with the server
    exercise = None
    if args.exercise:
        from game.classroom.exercise import load_exercise

        clash = [
            f
            for f, v in (
                ("--scenario", args.scenario),
                ("--seed", args.seed),
                ("--lens", args.lens),
            )
            if v is not None
        ]
        if clash:
            raise UsageError(f"{', '.join(clash)}: the exercise file sets these")
        exercise = load_exercise(Path(args.exercise))
    elif args.name:
        raise UsageError("--name is for class exercises (with --exercise FILE)")
    if args.plain and args.watch:
        raise UsageError("--watch works in the app, not with --plain")
    if args.export and not args.plain:
        raise UsageError("--export is for --plain; in the app, press e on the debrief")
    resuming = [f for f, v in (("--continue", args.continue_game), ("--load", args.load)) if v]
    if resuming and not args.plain:
        raise UsageError(
            f"{resuming[0]} is for --plain; in the app, choose Continue or Load on the title"
        )
    if resuming and (exercise or args.seed is not None or args.lens is not None):
        raise UsageError(f"{resuming[0]}: the saved game has its own seed, lens and exercise")
    if args.plain:
        from game.plain import play_plain

        return play_plain(
            exercise.scenario if exercise else _load(args.scenario),
            seed=args.seed,
            lens=args.lens,
            hidden=args.lens is None,
            save_dir=Path(args.saves),
            exercise=exercise,
            name=args.name,
            resume="latest" if args.continue_game else Path(args.load) if args.load else None,
            export=Path(args.export) if args.export else None,
        )
    from game.ui.app import run_app

    folder = exercise.scenario.folder if exercise else None
    return run_app(
        scenario_dir=folder or resolve_scenario_dir(args.scenario),
        saves=Path(args.saves),
        seed=args.seed,
        lens=args.lens,
        exercise=exercise,
        watch=args.watch,
        player=args.name,
    )


def cmd_vote(args: argparse.Namespace) -> int:
    """A student's tab in a class vote: vote on the class game's card, follow it."""
    from game.classroom.exercise import load_exercise
    from game.classroom.lifeline import end_with_server
    from game.ui.voter import run_voter

    end_with_server()  # a tab `offramp serve --vote` started ends with the server
    return run_voter(load_exercise(Path(args.exercise)), Path(args.saves))


def cmd_console(args: argparse.Namespace) -> int:
    """The instructor's white-cell console for a class exercise; with --vote, the class
    vote's: the class game and the tally."""
    from game.classroom.lifeline import end_with_server

    end_with_server()  # a console `offramp serve` started ends with the server
    from game.classroom.exercise import load_exercise

    exercise = load_exercise(Path(args.exercise))
    if args.vote:
        from game.ui.vote_console import run_vote_console

        return run_vote_console(exercise, Path(args.saves))
    from game.ui.console import run_console

    return run_console(exercise, Path(args.saves))


def cmd_report(args: argparse.Namespace) -> int:
    """Turn a class's folder of saves into a report (unreadable saves are listed and skipped)."""
    from game.classroom.exercise import load_exercise
    from game.classroom.report import (
        build_class_report,
        class_report_csv,
        class_report_html,
        class_report_markdown,
        class_report_projector,
        class_report_text,
    )

    if args.baseline_runs < 0:
        raise UsageError(f"--baseline-runs must be 0 or more, not {args.baseline_runs}")
    folder = Path(args.folder)
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise UsageError(f"{folder}: {what} (give the folder of a class's saves)")
    exercise = load_exercise(Path(args.exercise)) if args.exercise else None
    report = build_class_report(folder, exercise, args.baseline_runs, scenario_dir=args.scenario)
    if args.html:
        _emit(class_report_html(report), args.html)
    elif args.markdown:
        _emit(class_report_markdown(report), args.markdown)
    elif not (args.csv or args.projector):
        _emit(class_report_text(report), None)
    if args.csv:
        _emit(class_report_csv(report), args.csv)
    if args.projector:
        _emit(class_report_projector(report), args.projector)
    return EXIT_OK


def _seed(text: str) -> int:
    from game.session import MAX_SEED

    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number, not {text!r}") from None
    if not 0 <= seed < MAX_SEED:
        raise argparse.ArgumentTypeError(f"a seed is from 0 to 2**63-1, not {text}")
    return seed


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {text!r}")
    return int(text)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the game to browsers: one `offramp play` per tab, through textual-serve."""
    from game.classroom.serve import ServeError, prepare, serve

    if args.exercise and args.scenario:
        raise UsageError("--scenario: the exercise file names its scenario")
    if args.vote and not args.exercise:
        raise UsageError("--vote: a class vote plays an exercise; give --exercise FILE")
    if args.max_sessions is not None and args.max_sessions < 1:
        raise UsageError(f"--max-sessions: at least 1 game, not {args.max_sessions}")
    try:
        config = prepare(
            saves=args.saves,
            exercise=args.exercise,
            scenario=args.scenario,
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            max_sessions=args.max_sessions,
            vote=args.vote,
        )
        return serve(config)
    except ServeError as exc:
        print(f"offramp: {exc}", file=sys.stderr)
        return EXIT_FAIL


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `offramp`."""
    parser = argparse.ArgumentParser(
        prog="offramp",
        description="Off-Ramp: a turn-based policy wargame about regime security and escalation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    # Options several commands share, each declared once and given through `parents`.
    scenario_option = argparse.ArgumentParser(add_help=False)
    scenario_option.add_argument(
        "--scenario",
        help="scenario folder, or name under content/ "
        "(default: the one the exercise or save names, else the shipped scenario)",
    )
    exercise_option = argparse.ArgumentParser(add_help=False)
    exercise_option.add_argument(
        "--exercise",
        metavar="FILE",
        help="the class's exercise file (it sets the scenario, seed, lens and deck)",
    )
    saves_option = argparse.ArgumentParser(add_help=False)
    saves_option.add_argument("--saves", default="saves", help="save folder (default: saves/)")

    def add(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help: str,
        *parents: argparse.ArgumentParser,
        epilog: str | None = None,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, epilog=epilog, parents=list(parents))
        p.set_defaults(func=func)
        return p

    play = add(
        "play",
        cmd_play,
        "play the game (the default command)",
        scenario_option,
        exercise_option,
        saves_option,
        epilog="With --exercise you join a class exercise; your saves go to <saves>/<class>/.",
    )
    play.add_argument(
        "--seed", type=_seed, default=None, help="random seed, 0 to 2**63-1 (default: random)"
    )
    play.add_argument("--lens", default=None, help="lens id (default: hidden, drawn by seed)")
    play.add_argument("--plain", action="store_true", help="plain text on stdin/stdout")
    play.add_argument("--name", help="the student's name in an exercise (else asked)")
    play.add_argument(
        "--export",
        metavar="FILE.md",
        help="with --plain: write the Markdown debrief to this file when the game ends",
    )
    resume = play.add_mutually_exclusive_group()
    resume.add_argument(
        "--continue",
        dest="continue_game",
        action="store_true",
        help="with --plain: go on with your latest unfinished game",
    )
    resume.add_argument("--load", metavar="SAVE", help="with --plain: go on with this save")
    play.add_argument(
        "--watch",
        action="store_true",
        help="reload the scenario when its files change (for designers; not with --plain)",
    )

    validate = add("validate", cmd_validate, "check a scenario folder and report every problem")
    validate.add_argument(
        "scenario", nargs="?", help="scenario folder or exercise file (default: shipped scenario)"
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (likely mistakes: unused flags, impossible conditions…) as errors",
    )

    schema = add("schema", cmd_schema, "print the JSON Schema of the content format")
    schema.add_argument("-o", "--output", help="write to this file instead of stdout")
    schema.add_argument(
        "--reference", action="store_true", help="a Markdown key reference instead of JSON"
    )

    simulate = add("simulate", cmd_simulate, "play many games with scripted strategies")
    simulate.add_argument("scenario", nargs="?", help="scenario folder (default: shipped)")
    simulate.add_argument("--runs", type=int, default=200, help="games per strategy × lens")
    simulate.add_argument(
        "--strategy", action="append", help="strategy (repeatable; default: a standard set)"
    )
    simulate.add_argument("--lens", action="append", help="lens id (repeatable; default: all)")
    simulate.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    simulate.add_argument("--jobs", type=int, default=None, help="processes (default: cores)")
    simulate.add_argument("--coverage", action="store_true", help="coverage mode (quicktest)")
    fmt = simulate.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON output")
    fmt.add_argument("--markdown", action="store_true", help="Markdown output")
    simulate.add_argument("-o", "--output", help="write to this file instead of stdout")

    serve = add(
        "serve",
        cmd_serve,
        "serve the game to browsers (one game per tab)",
        exercise_option,
        scenario_option,
        saves_option,
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help="address (default: %(default)s)")
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help="port (default: %(default)s)"
    )
    serve.add_argument(
        "--public-url", metavar="URL", help="the address browsers use, behind a proxy"
    )
    serve.add_argument(
        "--max-sessions",
        metavar="N",
        type=int,
        help="most games at once (default: 40, or fewer if the memory available at start "
        "holds fewer at 60 MiB each)",
    )
    serve.add_argument(
        "--vote",
        action="store_true",
        help="a class vote: one class game on the projector, each tab votes on its card",
    )

    required_exercise = argparse.ArgumentParser(add_help=False)
    required_exercise.add_argument(
        "--exercise", metavar="FILE", required=True, help="the class's exercise file"
    )
    add(
        "vote",
        cmd_vote,
        "vote on the class game's card (a student's tab in a class vote)",
        required_exercise,
        saves_option,
        epilog="The class game is saves/<class>/class-game.toml, played from the console.",
    )
    console = add(
        "console",
        cmd_console,
        "the instructor's console: watch the class, push injects, pause, end, message",
        required_exercise,
        saves_option,
        epilog="It reads and writes the class's folder under --saves, as the games do. "
        "With --vote: the class game, the live tally, and the class's choice to confirm.",
    )
    console.add_argument(
        "--vote", action="store_true", help="run the class vote: the class game and its tally"
    )

    inj = add(
        "inject",
        cmd_inject,
        "push an event live to every session of a class",
        exercise_option,
        scenario_option,
        saves_option,
        epilog="The event is checked against the exercise's scenario, or --scenario.",
    )
    inj.add_argument("event", help="event id")
    inj.add_argument("--class", dest="class_code", help="the class code (default: the exercise's)")

    new = add("new", cmd_new, "create a new scenario folder from a commented template")
    new.add_argument("name", help="scenario id (lower-case letters, digits, underscores)")
    new.add_argument("--dir", help="parent folder (default: the content/ folder)")

    replay = add(
        "replay", cmd_replay, "print a saved game's timeline, turn by turn", scenario_option
    )
    replay.add_argument("save", help="save file (.toml)")

    report = add(
        "report",
        cmd_report,
        "turn a folder of student saves into a class report",
        exercise_option,
        scenario_option,
        epilog="With --exercise, the baseline games are played under the exercise's settings.",
    )
    report.add_argument("folder", help="the class's save folder, e.g. saves/<class>/")
    report.add_argument(
        "--baseline-runs",
        metavar="N",
        type=int,
        default=200,
        help="simulated games per strategy (default 200; 0: none)",
    )
    out = report.add_mutually_exclusive_group()
    out.add_argument("--markdown", metavar="FILE", help="write a Markdown report to FILE")
    out.add_argument("--html", metavar="FILE", help="write an HTML report with charts to FILE")
    report.add_argument(
        "--csv", metavar="FILE", help="also write one row per student for a gradebook"
    )
    report.add_argument(
        "--projector",
        metavar="FILE",
        help="also write one HTML screen for the projector (endings, splits, questions)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `offramp` console command."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["play", *argv]  # `offramp [OPTIONS]` is `offramp play [OPTIONS]`
    args, extra = parser.parse_known_args(argv)
    if extra:
        # argparse leaves a subcommand's unknown arguments to the top parser, whose usage
        # says nothing of that subcommand's options: its own parser reports them.
        _subcommand(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    stale = stale_extensions()
    if stale:
        print(
            f"offramp: warning: the compiled engine is out of date ({'; '.join(stale)}): {REBUILD}",
            file=sys.stderr,
        )
    try:
        result: int = args.func(args)
        return result
    except ContentError as exc:
        return _print_problems(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except _user_errors() as exc:
        print(f"offramp: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of subcommand ``name``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[name]
            return found
    raise LookupError(f"no subcommand {name!r}")


def _user_errors() -> tuple[type[Exception], ...]:
    from game.content.scaffold import ScaffoldError
    from game.engine import EngineError
    from game.saves import SaveError
    from game.sim.strategies import StrategyError

    return (SaveError, EngineError, StrategyError, ScaffoldError, UsageError, OSError)


if __name__ == "__main__":
    sys.exit(main())
