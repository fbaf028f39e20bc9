"""Plain mode as a screen-reader user reads it: a golden transcript of one game, then
one test for each thing the transcript must do (echo the choice, news before its
effects, an event's text once, the full debrief, the Markdown export, no drawing)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from game.debrief import build_debrief, debrief_markdown
from game.engine import Setup
from game.plain import _play, play_plain
from game.saves import load_save
from game.session import Session

from .helpers import MINI, ROOT, offramp, scenario_at

GOLDEN = ROOT / "tests" / "fixtures" / "plain" / "mini-seed1.txt"
ANSWERS = "1\n2\n" * 10


def play(tmp_path: Path, answers: str = ANSWERS, *extra: str) -> str:
    """`offramp play --plain` on the mini scenario, seed 1, hidden lens; its stdout."""
    result = offramp(
        "play", "--plain", "--scenario", "tests/fixtures/mini", "--seed", "1",
        "--saves", str(tmp_path), *extra, stdin=answers,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_golden_transcript(tmp_path: Path) -> None:
    """A whole game (mini scenario, seed 1, options 1 and 2 in turn) reads exactly as the
    committed transcript, from the greeting to the last discussion question.

    After a deliberate change to what plain mode says, regenerate it with
    ``OFFRAMP_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_plain.py``
    and read the diff before committing it."""
    text = play(tmp_path)
    if os.environ.get("OFFRAMP_REGENERATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_the_choice_is_echoed(tmp_path: Path) -> None:
    """After the prompt: the number typed, then 'You chose N: ' and the option's words."""
    lines = play(tmp_path).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Choose 1 to"))
    assert lines[first].endswith(": 1")
    option_one = next(line for line in lines if line.startswith("Option 1: "))
    assert lines[first + 1] == f"You chose 1: {option_one.removeprefix('Option 1: ')}"
    assert sum(line.startswith("You chose 2: ") for line in lines) >= 1


def test_w_tells_what_the_essays_say_and_asks_again(tmp_path: Path) -> None:
    """`w` at the prompt: each option's passages with author, stance and quote, and why
    its effects would happen; then the same question again."""
    scenario = scenario_at(MINI)
    card = scenario.card["pressure"]
    text = play(tmp_path, "w\n1\n")
    told = text[text.index("What the essays say on Pressure.") : text.index("You chose 1")]
    for option in card.options:
        assert option.text in told
        for c in option.citations:
            source = scenario.source[c.source]
            assert f"{c.stance.capitalize()}, {source.author or source.title}, {c.label()}" in told
        for effect in option.effects:
            if effect.why:
                assert f", because: {effect.why}" in told
    assert told.rstrip().endswith("Choose 1 to 2 (w: what the essays say): 1")


def test_news_comes_before_the_effects_it_causes(tmp_path: Path) -> None:
    """Each effect of an event follows that event's headline, never precedes it."""
    lines = play(tmp_path).splitlines()
    caused = [i for i, line in enumerate(lines) if "[news: " in line and "Effect:" in line]
    assert caused, "the game had no news with effects: pick another seed"
    for i in caused:
        title = re.search(r"\[news: ([^\]]+)\]", lines[i])
        assert title is not None
        headline = f"News: {title.group(1)}."
        assert any(line.startswith(headline) for line in lines[:i]), lines[i]


def test_an_event_with_its_own_choice_is_told_once(tmp_path: Path) -> None:
    """The summit, forced at turn two, is a headline that points to the decision, and its
    text comes once, with its options."""
    scenario = scenario_at(MINI)
    event = scenario.event["summit"]
    session = Session.start(
        scenario, tmp_path, Setup(seed=1, lens="dovish", schedule={2: ("summit",)})
    )
    out = io.StringIO()
    status = _play(session, io.StringIO("1\n1\n"), out, lambda lines: print_to(out, lines))
    session.close()
    text = out.getvalue()
    assert status == 0
    assert f"News: {event.title}. It asks for your decision below." in text
    assert text.count(event.text) == 1
    assert f"Event: {event.title}.\n{event.text}\nOption 1: " in text


def print_to(out: io.StringIO, lines: list[str] | str) -> None:
    out.write(("\n".join(lines) if isinstance(lines, list) else lines) + "\n")


def test_the_whole_debrief_ends_the_game(tmp_path: Path) -> None:
    """Scores and total, every verdict, the timeline, the meters over time, the decisive
    moments, the lens revealed, one counterfactual for every other lens, the questions:
    all read off the same debrief the screen and the export use."""
    text = play(tmp_path)
    (save,) = tmp_path.glob("*.toml")
    loaded = load_save(save, scenario_dir=MINI)
    d = build_debrief(loaded.scenario, loaded.state)
    tail = text[text.index(f"Debrief. Ending on turn {d.turn}: {d.ending_title}.") :]
    for label, score in d.scores:
        assert f"  {label}: {score} of 10.\n" in tail
    assert f"  Total: {sum(s for _, s in d.scores)}.\n" in tail
    for source, verdict in d.verdicts:
        assert f"  {source}: {verdict}\n" in tail
    for entry in d.timeline:
        assert f"  Turn {entry.turn}, {entry.date}: {entry.title}" in tail
    for label in d.history:
        assert f"  {label}: from " in tail
    for n, moment in enumerate(d.moments, start=1):
        assert f"  {n}. Turn {moment.turn}: {moment.meter} from {moment.before}" in tail
    assert f"The hidden lens was: {d.lens_name}" in tail
    assert len(d.counterfactuals) == len(loaded.scenario.lenses) - 1
    for cf in d.counterfactuals:
        assert f"  {cf.lens_name}: {cf.ending_title}, on turn {cf.turns}, " in tail
    for n, question in enumerate(d.questions, start=1):
        assert f"  {n}. {question}\n" in tail
    order = ["Scores:", "Timeline:", "Meters over time", "Decisive moments:", "The hidden lens"]
    order += ["Counterfactuals:", "Questions for discussion:"]
    assert [tail.index(heading) for heading in order] == sorted(tail.index(h) for h in order)


def test_export_writes_the_markdown_debrief_and_says_where(tmp_path: Path) -> None:
    """--export FILE.md: the same document the debrief screen's `e` writes."""
    target = tmp_path / "out" / "debrief.md"
    text = play(tmp_path, ANSWERS, "--export", str(target))
    assert text.rstrip().endswith(f"The debrief is written to {target}.")
    (save,) = tmp_path.glob("*.toml")
    loaded = load_save(save, scenario_dir=MINI)
    expected = debrief_markdown(build_debrief(loaded.scenario, loaded.state))
    assert target.read_text(encoding="utf-8") == expected


def test_export_waits_for_the_end_of_the_game(tmp_path: Path) -> None:
    """Quitting before the end writes no debrief, and says so."""
    target = tmp_path / "debrief.md"
    text = play(tmp_path, "1\nq\n", "--export", str(target))
    assert f"The game is not over, so no debrief is written to {target}." in text
    assert not target.exists()


def test_export_that_cannot_be_written_fails_clearly(tmp_path: Path) -> None:
    """A file that cannot be written: the reason on stdout, exit status 1."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = io.StringIO()
    status = play_plain(
        scenario_at(MINI),
        seed=1,
        lens=None,
        hidden=True,
        save_dir=tmp_path / "saves",
        stdin=io.StringIO(ANSWERS),
        stdout=out,
        export=blocker / "debrief.md",
    )
    assert status == 1
    assert f"The debrief could NOT be written to {blocker / 'debrief.md'}" in out.getvalue()


def test_export_is_for_plain_mode() -> None:
    """Without --plain, --export is a usage error (the app exports with `e`)."""
    result = offramp("play", "--export", "x.md")
    assert result.returncode == 2 and "--export is for --plain" in result.stderr


@pytest.mark.parametrize("seed", ["1", "2"])
def test_nothing_is_drawn_and_every_sign_is_written(tmp_path: Path, seed: str) -> None:
    """No box drawing, blocks, arrows or colour codes; no rule lines of punctuation;
    negative numbers with a real minus sign; no ASCII art at all."""
    result = offramp(
        "play", "--plain", "--scenario", str(MINI), "--seed", seed, "--saves", str(tmp_path),
        stdin=ANSWERS,
    )  # fmt: skip
    text = result.stdout
    assert not re.search(r"[\u2500-\u259f\u2190-\u21ff\u25b2\u25bc\x1b]", text)
    assert not re.search(r"^\s*([=*#_~-])\1\1", text, re.MULTILINE)
    assert not re.search(r"(?<![\w-])-\d", text), "a minus sign written as a hyphen"
    assert re.search(r"\(\+\d+\)|\(−\d+\)", text)  # changes carry their sign
