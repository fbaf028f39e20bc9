"""The condition language: parses what designers write, rejects the rest with a column."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.content.conditions import ConditionError, names_used, parse_condition
from game.engine.conditions import compile_condition
from game.engine.state import GameState

from .helpers import context


@dataclass
class Names:
    meters: dict[str, int] = field(default_factory=lambda: {"escalation": 0, "stability": 1})
    rungs: dict[str, int] = field(default_factory=lambda: {"calm": 0, "war": 3})
    flags: frozenset[str] = frozenset({"talks_open"})
    seen: frozenset[str] = frozenset({"summit"})
    lenses: frozenset[str] = frozenset({"restraint", "pressure"})


NAMES = Names()


def holds(text: str, ctx: GameState) -> bool:
    return bool(compile_condition(parse_condition(text, NAMES), NAMES)(ctx))


class TestEvaluation:
    """Conditions evaluate the way they read."""

    def test_the_issue_example(self) -> None:
        text = "stability < 30 and escalation >= 2 and not flag.talks_open"
        assert holds(text, context([2, 20]))
        assert not holds(text, context([2, 20], flags={"talks_open"}))
        assert not holds(text, context([1, 20]))
        assert not holds(text, context([2, 30]))

    def test_precedence_and_parentheses(self) -> None:
        assert holds("turn >= 5 or stability < 10 and escalation > 2", context([0, 50], turn=5))
        assert not holds(
            "(turn >= 5 or stability < 10) and escalation > 2", context([0, 50], turn=5)
        )

    def test_rungs_month_seen_arithmetic(self) -> None:
        ctx = context([3, 40], month=12, seen={"summit"})
        assert holds("escalation == rung.war", ctx)
        assert holds("month >= 11 or month <= 2", ctx)
        assert holds("seen.summit", ctx)
        assert holds("stability - 10 == 30", ctx)
        assert holds("-5 < stability", ctx)
        assert holds("true", ctx) and not holds("false", ctx)

    @given(st.integers(-200, 200), st.integers(-200, 200))
    def test_comparisons_match_python(self, a: int, b: int) -> None:
        ctx = context([0, a])
        for op, fn in [
            ("<", a < b),
            ("<=", a <= b),
            (">", a > b),
            (">=", a >= b),
            ("==", a == b),
            ("!=", a != b),
        ]:
            assert holds(f"stability {op} {b}" if b >= 0 else f"stability {op} -{-b}", ctx) == fn

    def test_names_used(self) -> None:
        cond = parse_condition("flag.talks_open and stability > rung.war", NAMES)
        assert names_used(cond) == {("flag", "talks_open"), ("meter", "stability"), ("rung", "war")}


class TestErrors:
    """Bad conditions give a ConditionError pointing at the bad token."""

    @pytest.mark.parametrize(
        ("text", "column", "fragment"),
        [
            ("stabilty < 3", 1, "unknown name 'stabilty'"),
            ("flag.talks", 6, "unknown flag 'talks'"),
            ("stability <", 12, "expected a number"),
            ("stability < 3 and", 18, "expected a number"),
            ("(stability < 3", 15, "expected ')'"),
            ("stability", 1, "compare it"),
            ("1 < stability > 5", 15, "only a range chains comparisons"),
            ("1 < stability <= 5 < 9", 20, "two comparisons at most"),
            ("month in 7 10", 12, "expected '..'"),
            ("lens.nobody", 6, "unknown lens"),
            ("crossed_below.stability 40", 25, "expected '('"),
            ("__import__('os').system('x')", 12, "unexpected character"),
            ("stability < 3 && turn > 1", 15, "unexpected character '&'"),
            ("", 1, "empty condition"),
            ("not", 4, "expected a number"),
            ("(flag.talks_open) + 1 > 0", 2, "cannot be used as a number"),
        ],
    )
    def test_message_and_column(self, text: str, column: int, fragment: str) -> None:
        with pytest.raises(ConditionError) as info:
            parse_condition(text, NAMES)
        assert fragment in str(info.value)
        assert info.value.column + 1 == column

    def test_deep_nesting_is_refused_not_a_crash(self) -> None:
        with pytest.raises(ConditionError):
            parse_condition("(" * 5000 + "true" + ")" * 5000, NAMES)

    @given(st.text(max_size=80))
    def test_any_text_parses_or_raises_condition_error(self, text: str) -> None:
        try:
            cond = parse_condition(text, NAMES)
        except ConditionError as exc:
            assert 0 <= exc.column <= len(text)
        else:
            compile_condition(cond, NAMES)(context([1, 50]))


class TestFormat2Conditions:
    """Ranges (`in`, chained), `lens.ID` and crossing a threshold since the last decision."""

    @pytest.mark.parametrize(
        ("text", "month", "stability", "expected"),
        [
            ("month in 7..10", 7, 0, True),
            ("month in 7..10", 10, 0, True),
            ("month in 7..10", 11, 0, False),
            ("not month in 7..10", 6, 0, True),
            ("rung.calm <= escalation <= rung.war", 1, 0, True),
            ("10 < stability <= 20", 1, 20, True),
            ("10 < stability <= 20", 1, 10, False),
            ("30 > stability >= 20", 1, 20, True),
            ("stability in 10 + 5..20", 1, 15, True),
        ],
    )
    def test_ranges(self, text: str, month: int, stability: int, expected: bool) -> None:
        assert holds(text, context([2, stability], month=month)) is expected

    def test_lens(self) -> None:
        state = context([0, 50])
        state.lens = "restraint"
        assert holds("lens.restraint", state)
        assert not holds("lens.pressure", state)
        assert holds("not lens.pressure and stability >= 50", state)

    @pytest.mark.parametrize(
        ("text", "before", "now", "expected"),
        [
            ("crossed_below.stability(40)", 45, 39, True),
            ("crossed_below.stability(40)", 40, 39, True),
            ("crossed_below.stability(40)", 39, 30, False),  # was already below
            ("crossed_below.stability(40)", 45, 40, False),
            ("crossed_above.stability(40)", 40, 41, True),
            ("crossed_above.stability(40)", 41, 45, False),
            ("not crossed_above.stability(40)", 41, 45, True),
        ],
    )
    def test_crossed(self, text: str, before: int, now: int, expected: bool) -> None:
        state = context([0, now])
        state.previous = [0, before]
        assert holds(text, state) is expected
