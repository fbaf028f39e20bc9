"""The class's inject inbox: injects an instructor pushes to every game of a class.

Live injects are lines appended to the class folder's ``injects.log``; every session
applies the lines it has not applied yet at its next turn and records them in its save
(as inject entries of the choice log), so replays stay exact.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from game.classroom.lines import LineCursor, append_line, whole_lines
from game.classroom.roster import class_dir

if TYPE_CHECKING:
    from game.content.scenario import Scenario
    from game.engine import GameState

INBOX = "injects.log"


def push_inject(saves: Path, class_code: str, event_id: str) -> Path:
    """Append an inject to the class's inbox (an atomic O_APPEND write of one line)."""
    return append_line(class_dir(saves, class_code) / INBOX, event_id)


def read_injects(saves: Path, class_code: str) -> list[str]:
    """Every inject pushed to the class so far, in order (empty if none)."""
    lines = whole_lines(class_dir(saves, class_code) / INBOX)
    return [line.strip() for line in lines if line.strip()]


class Inbox(LineCursor):
    """A session's reader of its class's inject inbox (``read``: the inbox lines already
    taken, applied or skipped, so that a resumed session applies none twice)."""

    def __init__(self, saves: Path, class_code: str, read: int = 0) -> None:
        super().__init__(read)
        self.saves = saves
        self.class_code = class_code

    @classmethod
    def from_now(cls, saves: Path, class_code: str) -> Inbox:
        """An inbox reader that ignores what was pushed before the session began."""
        return cls(saves, class_code).skip_all()

    def lines(self) -> list[str]:
        return read_injects(self.saves, self.class_code)

    def take(self) -> list[str]:
        """The injects pushed since the last call, in order."""
        return self.take_new()


def apply_injects(
    scenario: Scenario, state: GameState, events: list[str]
) -> tuple[GameState, list[str], list[str]]:
    """Queue each event for the next turn's news through the engine.

    Returns the new state, the events applied and the reasons others were skipped (an
    event this scenario does not have, or a game already over); an inject never stops a
    game.
    """
    from game.engine import EngineError, inject

    applied: list[str] = []
    skipped: list[str] = []
    for event in events:
        try:
            state = inject(scenario, state, event)
        except EngineError as exc:
            skipped.append(f"inject {event!r} skipped: {exc}")
        else:
            applied.append(event)
    return state, applied, skipped
