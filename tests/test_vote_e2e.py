"""A class vote end to end: `offramp serve --vote` and three students in headless Chromium
vote on the class game's card; the instructor's side takes the class's choice and every
tab moves on to the next turn.

The instructor's side here is the class game itself (:class:`ClassGame`, what the vote
console holds; the console is tested with Pilot in tests/test_vote_ui.py).  Needs Chromium
and Playwright, as tests/test_serve_e2e.py (whose helpers this reuses).
"""

from __future__ import annotations

import time
from pathlib import Path

from game.classroom.exercise import load_exercise
from game.classroom.vote import ClassGame, Tally
from game.saves import load_save

from .test_serve_e2e import (
    Screen,
    launch_browser,
    need_browser,
    open_game,
    running_server,
    serve_log,
    write_exercise,
)


def join_vote(screen: Screen, name: str) -> str:
    """From the title screen: join the class vote under ``name``; return the screen."""
    screen.wait_for(r"a class vote")
    screen.focus()
    screen.press("n")
    screen.wait_for(r"Type your name")
    screen.type(name)
    screen.press("Enter")
    return screen.wait_for(r"CLASS VOTE.*Turn 1 of")


def votes_in(game: ClassGame, count: int, timeout: float = 30) -> Tally:
    """The tally once ``count`` students have voted."""
    deadline = time.monotonic() + timeout
    while True:
        counted = game.tally()
        assert counted is not None
        if counted.total >= count:
            return counted
        if time.monotonic() > deadline:
            raise AssertionError(f"only {counted.total} votes: {counted.votes}")
        time.sleep(0.1)


def test_three_browsers_vote_and_follow_the_class_game(tmp_path: Path) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    path = write_exercise(tmp_path)
    exercise = load_exercise(path)
    saves = tmp_path / "saves"
    game = ClassGame.open(exercise, saves)  # the instructor's console has started it
    with (
        running_server(tmp_path, "--exercise", str(path), "--saves", "saves", "--vote") as (
            url,
            _,
        ),
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)
        try:
            screens = [Screen(open_game(browser, url)) for _ in range(3)]
            for screen, name in zip(screens, ("Ann", "Bob", "Cy"), strict=True):
                join_vote(screen, name)
            for screen, option in zip(screens, (1, 2, 2), strict=True):
                screen.press(str(option))
                screen.press("Enter")
                screen.wait_for(rf"Your vote: {option} ·")
            counted = votes_in(game, 3)
            assert counted.votes == {
                "Ann": counted.options[0],
                "Bob": counted.options[1],
                "Cy": counted.options[1],
            }
            game.choose(counted.options[1])  # the class's choice, confirmed
            for screen in screens:
                screen.wait_for(r"CLASS VOTE.*Turn 2 of.*Your vote: none yet")
        finally:
            browser.close()
    game.close()

    assert game.path is not None
    record = load_save(game.path, scenario=exercise.scenario).meta.votes
    assert [(v.turn, v.overridden) for v in record] == [(1, False)]
    assert dict(record[0].tally) == {counted.options[0]: 1, counted.options[1]: 2}
    log = serve_log(tmp_path)
    assert "A class vote: each tab votes on the class game" in log
    assert "Traceback" not in log
