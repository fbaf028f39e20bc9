"""What a choice did, as the front ends show it after each confirm (game.timeline's
choice_effects, through the session): the choice's own changes first, the lens's rules
only when the lens is not hidden, the delayed effects set, then the rest and the news."""

from __future__ import annotations

from pathlib import Path

from game.engine import new_game
from game.engine.state import Cause, Decision, PendingEffect
from game.session import Session
from game.timeline import describe_scheduled

from .helpers import MINI, SHIPPED, scenario_at

SEED = 3


def session_on(tmp_path: Path, lens: str | None, hidden: bool = False) -> Session:
    """A mini game at turn one, under ``lens`` (hidden or not)."""
    scenario = scenario_at(MINI)
    return Session(scenario, new_game(scenario, SEED, lens, hidden=hidden), tmp_path)


class TestChoiceEffects:
    """The view after a confirm, built from the session's ChoiceResult."""

    def test_own_changes_first_with_size_and_why(self, tmp_path: Path) -> None:
        result = session_on(tmp_path, "dovish").choose("push")
        effects = result.effects
        assert effects is not None
        assert effects.title == "Pressure" and effects.option == "Push hard"
        assert effects.argued == "for a ¶2"
        assert effects.changes[0] == "Stability 50 → 40 (−10) — Pressure bites"
        assert effects.changes[1] == "Escalation: Calm → Tense"
        assert all("[Push hard" not in line for line in effects.changes)  # said once, above

    def test_lens_rules_named_with_citations_when_not_hidden(self, tmp_path: Path) -> None:
        effects = session_on(tmp_path, "hawkish").choose("push").effects
        assert effects is not None
        assert effects.rules == ("Hawkish, rule pressure_pays (a ¶4)",)
        assert "Stability 50 → 35 (−15) [scaled by lens Hawkish] — Pressure bites" in (
            effects.changes
        )

    def test_hidden_lens_is_never_named(self, tmp_path: Path) -> None:
        session = session_on(tmp_path, "hawkish", hidden=True)
        result = session.choose("push")
        effects = result.effects
        assert effects is not None
        assert effects.rules == ()
        shown = "\n".join(
            [*effects.changes, *effects.rules, *effects.scheduled, *effects.then, *effects.notes]
        )
        assert "hidden lens" in shown
        assert "Hawkish" not in shown and "hawkish" not in shown and "pressure_pays" not in shown
        assert result.item.rules == ()

    def test_delayed_effect_due_next_turn_is_the_choices(self, tmp_path: Path) -> None:
        """A delayed effect that fell due as the next turn began is listed with the
        choice's own, as delayed (an estimate shows its change, not its values)."""
        effects = session_on(tmp_path, "dovish").choose("wait").effects
        assert effects is not None
        assert effects.changes[0] == "From now on: Talks are open"
        assert "Morale +5 (estimate) [delayed: Wait]" in effects.changes
        assert effects.scheduled == ()

    def test_effects_set_for_later_are_listed_and_kept_in_the_log(self, tmp_path: Path) -> None:
        scenario = scenario_at(SHIPPED)
        state = new_game(scenario, SEED, None, hidden=True).copy()
        state.pending = [Decision("card", "sanctions_ratchet")]
        session = Session(scenario, state, tmp_path)
        result = session.choose("ratchet")
        effects = result.effects
        assert effects is not None
        (later,) = effects.scheduled
        assert later.startswith("In 3 turns (turn 5): no longer: A new round of sanctions")
        assert later.endswith(" — Each round loses its edge as Russia adapts.")
        assert effects.changes[0].startswith("From now on: ")
        assert session.log[-1].scheduled == effects.scheduled

    def test_a_hidden_meters_delayed_change_has_no_number(self) -> None:
        scenario = scenario_at(SHIPPED)
        state = new_game(scenario, SEED, None, hidden=True)
        later = PendingEffect(
            state.turn + 2, "meter", "elite_loyalty", "add", -7.0, Cause("delayed", "x.y")
        )
        line = describe_scheduled(scenario, state, later)
        assert line.startswith("In 2 turns (turn 3): Elite loyalty will change")
        assert "7" not in line

    def test_news_comes_with_its_text(self, tmp_path: Path) -> None:
        scenario = scenario_at(MINI)
        state = new_game(scenario, SEED, "dovish", schedule={2: ["summit"]})
        effects = Session(scenario, state, tmp_path).choose("push").effects
        assert effects is not None
        assert ("Summit offer", "A summit is offered.", False) in effects.news
