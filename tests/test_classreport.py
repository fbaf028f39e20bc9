"""The class report: a folder built from real engine games on the Cuba fixture (plus a
corrupt, a foreign and a half-written save) checked figure by figure, in every format,
and through the real `offramp report` command."""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from game.classroom.exercise import load_exercise
from game.classroom.report import (
    ClassReport,
    StudentResult,
    build_class_report,
    class_report_csv,
    class_report_html,
    class_report_markdown,
    class_report_projector,
    class_report_text,
    clean_name,
    divisive_cards,
)
from game.content import Scenario
from game.debrief import build_debrief
from game.engine import GameState, Setup, choices, choose, inject, is_over, new_game
from game.saves import SaveMeta, write_save
from game.sim import simulate

from .helpers import CUBA, MINI, Picker, anyone, first, last, offramp, scenario_at
from .test_serve_e2e import launch_browser, need_browser

SEED, LENS = 1, "dove"
RUNS = 30
EVIL = "<script>alert(1)</script>"
BAD_FILES = {"corrupt.toml", "foreign.toml", "half.toml"}


@dataclass(frozen=True)
class Student:
    """A game played for the class folder, as the test knows it."""

    name: str
    file: str
    state: GameState


def play(
    scenario: Scenario,
    pick: Picker,
    rnd_seed: str,
    *,
    stop_after: int | None = None,
    inject_at: tuple[int, str] | None = None,
) -> GameState:
    """Play the class's crisis with ``pick``; stop early after ``stop_after`` decisions."""
    state = new_game(scenario, SEED, LENS, hidden=True)
    rnd = random.Random(rnd_seed)
    while not is_over(state) and (stop_after is None or len(state.log) < stop_after):
        if (
            inject_at
            and state.turn == inject_at[0]
            and not any(e.kind == "inject" for e in state.log)
        ):
            state = inject(scenario, state, inject_at[1])
        state, _ = choose(scenario, state, pick(choices(scenario, state), rnd).id)
    return state


@dataclass(frozen=True)
class Klass:
    """The class folder, the games in it, and its report."""

    folder: Path
    students: list[Student]
    report: ClassReport

    @property
    def finished(self) -> list[Student]:
        return [s for s in self.students if is_over(s.state)]


def make_class_folder(folder: Path) -> list[Student]:
    """Six students (five finished, one in progress) plus three files that are not saves."""
    cuba = scenario_at(CUBA)
    games = [
        ("alice", "alice", play(cuba, first, "a")),
        ("bob", "bob", play(cuba, last, "b", inject_at=(2, "un_showdown"))),
        ("carol", "carol", play(cuba, anyone, "r1")),
        ("dan", "dan", play(cuba, anyone, "r2")),
        (EVIL, "mallory", play(cuba, anyone, "r3")),
        ("erin", "erin", play(cuba, anyone, "r1", stop_after=1)),
    ]
    students = []
    for name, stem, state in games:
        write_save(folder / f"{stem}.toml", cuba, state, SaveMeta(player=name))
        students.append(Student(name, f"{stem}.toml", state))
    (folder / "corrupt.toml").write_bytes(b"\xff\xfe\x00\x9c garbage \x00\x01")
    (folder / "foreign.toml").write_text('[tool.poetry]\nname = "not-a-save"\n', encoding="utf-8")
    whole = (folder / "alice.toml").read_text(encoding="utf-8")
    (folder / "half.toml").write_text(whole[: len(whole) // 2], encoding="utf-8")
    (folder / "injects.log").write_text("un_showdown\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a save either\n", encoding="utf-8")
    return students


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Klass:
    folder = tmp_path_factory.mktemp("seminar")
    students = make_class_folder(folder)
    return Klass(folder, students, build_class_report(folder, None, RUNS, scenario_dir=CUBA))


def student(k: Klass, file: str) -> tuple[Student, StudentResult]:
    """The test's record of a student and the report's, matched by file."""
    mine = next(s for s in k.students if s.file == file)
    theirs = next(s for s in k.report.students if s.file == file)
    return mine, theirs


class TestFolder:
    """Every save is read; the bad files are listed with their reasons and skipped."""

    def test_the_class_is_varied_enough_to_test(self, klass: Klass) -> None:
        """The games behind the figures reach several endings; one is still in progress."""
        assert len({s.state.ending for s in klass.finished}) >= 3
        assert len(klass.finished) == 5
        assert any(e.kind == "inject" for s in klass.students for e in s.state.log)

    def test_skipped_are_exactly_the_bad_files(self, klass: Klass) -> None:
        reasons = dict(klass.report.skipped)
        assert set(reasons) == BAD_FILES
        assert "not UTF-8" in reasons["corrupt.toml"]
        assert "not an Off-Ramp save" in reasons["foreign.toml"]
        assert reasons["half.toml"]  # truncated mid-file: a TOML or structure error
        assert all(str(klass.folder) not in reason for reason in reasons.values())

    def test_every_valid_save_is_a_student(self, klass: Klass) -> None:
        assert [s.file for s in klass.report.students] == sorted(s.file for s in klass.students)
        names = {s.file: s.name for s in klass.report.students}
        assert names["mallory.toml"] == EVIL
        assert names["erin.toml"] == "erin"

    def test_a_save_of_another_scenario_is_skipped(self, tmp_path: Path) -> None:
        cuba, mini = scenario_at(CUBA), scenario_at(MINI)
        write_save(tmp_path / "a.toml", cuba, play(cuba, first, "x"), SaveMeta(player="a"))
        write_save(tmp_path / "b.toml", cuba, play(cuba, last, "y"), SaveMeta(player="b"))
        write_save(tmp_path / "z.toml", mini, new_game(mini, 3, None), SaveMeta(player="z"))
        report = build_class_report(tmp_path, None, 0, scenario_dir=CUBA)
        assert [s.file for s in report.students] == ["a.toml", "b.toml"]
        assert [name for name, _ in report.skipped] == ["z.toml"]
        assert "mini" in report.skipped[0][1]


class TestOutcomes:
    """The outcome distribution counts finished games only."""

    def test_counts_are_the_endings_played(self, klass: Klass) -> None:
        counts = {e.ending: e.count for e in klass.report.outcomes}
        assert counts == {
            e.id: Counter(s.state.ending for s in klass.finished)[e.id]
            for e in scenario_at(CUBA).endings
        }

    def test_shares_and_in_progress(self, klass: Klass) -> None:
        outcomes = klass.report.outcomes
        assert sum(e.count for e in outcomes) == 5
        assert sum(e.share for e in outcomes) == pytest.approx(1.0)
        assert [s.file for s in klass.report.in_progress] == ["erin.toml"]
        for e in outcomes:
            assert e.ci95[0] <= e.share <= e.ci95[1]


class TestChoices:
    """Choices per card are what the students chose, every option listed."""

    def test_counts_match_the_logs(self, klass: Klass) -> None:
        chosen = Counter(
            (e.kind, e.id, e.option)
            for s in klass.students
            for e in s.state.log
            if e.kind != "inject"
        )
        seen = {(c.kind, c.id, o.option): o.count for c in klass.report.choices for o in c.options}
        assert {k: v for k, v in seen.items() if v} == dict(chosen)
        assert {(k, i) for k, i, _ in seen} == {(k, i) for k, i, _ in chosen}

    def test_titles_and_every_option(self, klass: Klass) -> None:
        cuba = scenario_at(CUBA)
        for card in klass.report.choices:
            item = cuba.item(card.kind, card.id)
            assert item is not None
            assert card.title == item.title
            assert [o.text for o in card.options] == [o.text for o in item.options]


class TestStudents:
    """Each student's path, decisive moment and meter history come from the engine."""

    def test_paths_are_the_logged_decisions(self, klass: Klass) -> None:
        cuba = scenario_at(CUBA)
        for mine in klass.students:
            _, theirs = student(klass, mine.file)
            decisions = [e for e in mine.state.log if e.kind != "inject"]
            path = theirs.path
            assert len(path) == len(decisions)
            for step, entry in zip(path, decisions, strict=True):
                item = cuba.card.get(entry.id) or cuba.event[entry.id]
                option = next(o for o in item.options if o.id == entry.option)
                assert (step.turn, step.title, step.option) == (
                    entry.turn,
                    item.title,
                    option.text,
                )

    def test_finished_games_have_their_debrief_moment_and_history(self, klass: Klass) -> None:
        cuba = scenario_at(CUBA)
        for mine in klass.finished:
            _, theirs = student(klass, mine.file)
            debrief = build_debrief(cuba, mine.state)
            assert theirs.finished
            assert theirs.ending == mine.state.ending
            assert theirs.moment is not None
            assert theirs.moment == debrief.moments[0]
            assert theirs.history == debrief.history

    def test_a_game_in_progress_has_a_path_and_history_but_no_ending(self, klass: Klass) -> None:
        mine, theirs = student(klass, "erin.toml")
        assert not theirs.finished and theirs.moment is None
        assert theirs.ending == "" and theirs.turns == mine.state.turn
        latest = [values[-1] for values in theirs.history.values()]
        assert latest == list(mine.state.meters)
        assert all(len(v) == mine.state.turn + 1 for v in theirs.history.values())


class TestBaseline:
    """Simulated players in the same crisis, one row per strategy."""

    def test_rows_and_shares(self, klass: Klass) -> None:
        baseline = klass.report.baseline
        assert baseline is not None
        sources = [s.id for s in scenario_at(CUBA).sources]
        assert [r.strategy for r in baseline.rows] == ["random"] + [
            f"advocate:{s}" for s in sources
        ]
        for row in baseline.rows:
            assert row.games == RUNS
            assert sum(row.shares.values()) == pytest.approx(1.0)
        assert baseline.lens == LENS
        assert baseline.crisis.seed == SEED

    def test_figures_match_a_simulation_of_the_same_crisis(self, klass: Klass) -> None:
        cuba = scenario_at(CUBA)
        records = simulate(
            cuba,
            ["random"],
            [LENS],
            RUNS,
            jobs=1,
            crisis=Setup(seed=SEED, turn_limit=cuba.info.turn_limit),
        )
        counts = Counter(r.ending for r in records)
        assert klass.report.baseline is not None
        random_row = klass.report.baseline.rows[0]
        assert random_row.shares == {e.id: counts[e.id] / RUNS for e in cuba.endings}

    def test_zero_runs_means_no_baseline(self, klass: Klass) -> None:
        assert build_class_report(klass.folder, None, 0, scenario_dir=CUBA).baseline is None

    def test_an_exercise_sets_the_crisis(self, klass: Klass, tmp_path: Path) -> None:
        path = tmp_path / "exercise.toml"
        path.write_text(
            f'[exercise]\ntitle = "Seminar"\nscenario = "{CUBA.as_posix()}"\nseed = 42\n'
            f'lens = "{LENS}"\nturn_limit = 6\nclass_code = "seminar"\n\n'
            '[[injects]]\nturn = 3\nevent = "un_showdown"\n',
            encoding="utf-8",
        )
        report = build_class_report(klass.folder, load_exercise(path), 5)
        assert report.exercise_title == "Seminar"
        assert report.baseline is not None and report.baseline.source == "exercise"
        assert report.baseline.crisis == Setup(
            seed=42, lens=LENS, turn_limit=6, schedule={3: ("un_showdown",)}
        )
        assert {name for name, _ in report.skipped} == BAD_FILES
        # the students played another crisis than this exercise: the report says so
        assert any("seed, turn limit, injects" in note for note in report.notes)


def test_questions_are_those_of_the_endings_reached_and_the_lens(klass: Klass) -> None:
    cuba = scenario_at(CUBA)
    reached = {s.state.ending for s in klass.finished}
    expected = [q for e in cuba.endings if e.id in reached for q in e.questions]
    expected += cuba.lens[LENS].questions
    assert klass.report.questions == list(dict.fromkeys(expected))
    assert klass.report.questions  # the fixture's endings and lens do have questions


def test_empty_folder_still_reports(tmp_path: Path) -> None:
    report = build_class_report(tmp_path)
    assert report.students == [] and report.skipped == [] and report.baseline is None
    assert "nothing to report" in class_report_text(report)
    assert "<polyline" not in class_report_html(report)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        build_class_report(tmp_path / "nope")


def test_names_are_cleaned_of_control_characters() -> None:
    assert clean_name("bob\x1b[31m\nred") == "bob [31m red"
    assert len(clean_name("x" * 500)) == 60


class TestRenderers:
    """Text, Markdown and HTML show the figures; HTML has real charts and escapes names."""

    def test_html_has_a_line_chart_per_meter(self, klass: Klass) -> None:
        page = class_report_html(klass.report)
        for meter in scenario_at(CUBA).meters:
            chart = re.search(rf'<svg[^>]*aria-labelledby="chart-{meter.id}".*?</svg>', page, re.S)
            assert chart, meter.id
            svg = chart.group(0)
            assert svg.count("<polyline") == len(klass.students)
            assert html.escape(meter.label) in svg and "turn" in svg  # axis labels
        assert 'aria-labelledby="chart-outcomes"' in page
        assert page.count('class="legend"') == len(scenario_at(CUBA).meters)

    def test_html_escapes_names_and_is_self_contained(self, klass: Klass) -> None:
        page = class_report_html(klass.report)
        assert EVIL not in page and "<script" not in page.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        for outside in ("src=", "href=", "http://", "https://", "url(", "@import"):
            assert outside not in page

    def test_markdown_has_tables_and_questions(self, klass: Klass) -> None:
        md = class_report_markdown(klass.report)
        assert "| Ending | Students | Share | 95% interval |" in md
        assert "| Option | Chosen | Share |" in md
        assert "| Student | Trend | First | Lowest | Highest | Last |" in md
        for q in klass.report.questions:
            assert q in md
        for name in BAD_FILES:
            assert f"`{name}`" in md
        assert EVIL not in md and "&lt;script&gt;" in md
        for e in klass.report.outcomes:
            assert f"| {e.title} | {e.count} |" in md

    def test_text_summarises(self, klass: Klass) -> None:
        text = class_report_text(klass.report)
        assert "6 saves read; 5 finished, 1 in progress; 3 files skipped." in text
        assert "erin — in progress" in text
        for name in BAD_FILES:
            assert name in text
        assert "Random player" in text and "Advice of hawks" in text


class TestCommand:
    """`offramp report` writes the files, exits 0 despite bad saves, and 2 for no folder."""

    def test_html_and_markdown_files(self, klass: Klass, tmp_path: Path) -> None:
        page, md = tmp_path / "class.html", tmp_path / "class.md"
        common = [str(klass.folder), "--scenario", str(CUBA), "--baseline-runs", "3"]
        result = offramp("report", *common, "--html", str(page))
        assert result.returncode == 0, result.stderr
        assert f"wrote {page}" in result.stderr and result.stdout == ""
        assert page.read_text(encoding="utf-8").count("<polyline") == 6 * 4
        result = offramp("report", *common, "--markdown", str(md))
        assert result.returncode == 0, result.stderr
        assert "## Questions for discussion" in md.read_text(encoding="utf-8")

    def test_text_to_stdout(self, klass: Klass) -> None:
        result = offramp(
            "report", str(klass.folder), "--scenario", str(CUBA), "--baseline-runs", "0"
        )
        assert result.returncode == 0, result.stderr
        assert "OUTCOMES (5 finished games)" in result.stdout
        assert "corrupt.toml" in result.stdout

    def test_missing_folder_exits_2(self, tmp_path: Path) -> None:
        result = offramp("report", str(tmp_path / "nope"))
        assert result.returncode == 2
        assert "no such folder" in result.stderr and "Traceback" not in result.stderr

    def test_empty_folder_exits_0(self, tmp_path: Path) -> None:
        result = offramp("report", str(tmp_path))
        assert result.returncode == 0 and "nothing to report" in result.stdout

    def test_html_and_markdown_together_are_refused(self, klass: Klass, tmp_path: Path) -> None:
        result = offramp(
            "report", str(klass.folder), "--html", str(tmp_path / "a"), "--markdown", "b"
        )
        assert result.returncode == 2 and "not allowed with" in result.stderr


class TestInjectsGradebookProjector:
    """Live injects in the report, a gradebook CSV, and one screen for the projector."""

    def test_each_students_injects_and_what_came_next(self, klass: Klass) -> None:
        cuba = scenario_at(CUBA)
        for mine in klass.students:
            theirs = next(s for s in klass.report.students if s.file == mine.file)
            log = mine.state.log
            expected = [(e.turn, e.id) for e in log if e.kind == "inject"]
            assert [(i.turn, i.event) for i in theirs.injects] == expected
            for got in theirs.injects:
                at = next(k for k, e in enumerate(log) if e.kind == "inject" and e.turn == got.turn)
                nxt = next((e for e in log[at + 1 :] if e.kind != "inject"), None)
                if nxt is None:
                    assert got.next_choice == ""
                else:
                    item = cuba.item(nxt.kind, nxt.id)
                    assert item is not None and got.next_choice.startswith(item.title)
        received = sum(len(s.injects) for s in klass.report.students)
        assert received and sum(i.students for i in klass.report.injects) == received

    def test_injects_in_every_renderer(self, klass: Klass) -> None:
        title = klass.report.injects[0].title
        text = class_report_text(klass.report)
        assert "LIVE INJECTS" in text and title in text
        assert "## Live injects" in class_report_markdown(klass.report)
        assert "<h2>Live injects</h2>" in class_report_html(klass.report)

    def test_csv_has_a_row_per_student_with_scores(self, klass: Klass) -> None:
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(class_report_csv(klass.report))))
        assert [r["file"] for r in rows] == [s.file for s in klass.report.students]
        cuba = scenario_at(CUBA)
        for row, s in zip(rows, klass.report.students, strict=True):
            assert row["finished"] == ("yes" if s.finished else "no")
            assert row["turns"] == str(s.turns)
            if s.finished:
                assert row["total"] == str(s.total_score)
                total = sum(int(row[c.label]) for c in cuba.criteria if row[c.label])
                assert total == s.total_score
            else:
                assert row["total"] == ""
            assert row["injects"] == " ".join(f"{i.event}@{i.turn}" for i in s.injects)
        mallory = next(r for r in rows if r["file"] == "mallory.toml")
        assert not mallory["name"].startswith(("=", "+", "-", "@"))

    def test_projector_is_one_screen_of_what_matters(self, klass: Klass) -> None:
        page = class_report_projector(klass.report)
        assert "<script" not in page
        endings = page.split("How the games ended")[1].split("</ul>")[0]
        for e in klass.report.outcomes:  # the endings reached, with their counts; no others
            shown = f"<span>{e.count} ({e.share:.0%})</span><span>{html.escape(e.title)}</span>"
            assert (shown in endings) == (e.count > 0), e.title
        unreached = sum(1 for e in klass.report.outcomes if not e.count)
        other = "other ending" if unreached == 1 else f"other {unreached} endings"
        assert f"No game ended in the {other}." in page
        for q in klass.report.questions:
            assert html.escape(q) in page
        for card in divisive_cards(klass.report):
            assert html.escape(card.title) in page
        assert klass.report.made and klass.report.made in page
        assert klass.report.baseline is not None
        labels = [row.label for row in klass.report.baseline.rows]
        assert labels[0] == "Random player" and all("advocate:" not in x for x in labels)
        assert all(html.escape(x) in page for x in labels)

    @pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768)])
    def test_projector_fits_one_screen(
        self, klass: Klass, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """Drawn by Chromium on a projector's screen, the page needs no scrolling."""
        need_browser()
        from playwright.sync_api import sync_playwright

        page_file = tmp_path / "projector.html"
        page_file.write_text(class_report_projector(klass.report), encoding="utf-8")
        width, height = size
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_file.as_uri())
                scroll = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
                )
            finally:
                browser.close()
        assert scroll == [width, height], f"the page is {scroll}, the screen {size}"

    def test_divisive_cards_split_most(self, klass: Klass) -> None:
        split = divisive_cards(klass.report)
        assert 0 < len(split) <= 3
        top = [max(o.count for o in c.options) / c.total for c in split]
        assert top == sorted(top)

    def test_command_writes_csv_and_projector(self, klass: Klass, tmp_path: Path) -> None:
        sheet, screen = tmp_path / "grades.csv", tmp_path / "projector.html"
        result = offramp(
            "report", str(klass.folder), "--scenario", str(CUBA), "--baseline-runs", "2",
            "--csv", str(sheet), "--projector", str(screen),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert sheet.read_text(encoding="utf-8").startswith("name,file,finished,ending,")
        assert "Where the class split" in screen.read_text(encoding="utf-8")
