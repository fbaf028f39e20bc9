"""The player's view of a state: what may be seen, computed in one place.

Estimates are shown with an uncertainty band around a noisy reading, hidden meters are
not shown, and a hidden lens is not named until the game ends.  The UI, plain mode and
reports all read this (:func:`view`, or :func:`lens_is_hidden` and
:func:`meter_visibility` for one decision), so none can leak hidden truth by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.engine import rng
from game.engine.core import current_decision, is_over
from game.engine.state import Decision, GameState

if TYPE_CHECKING:
    from game.content.models import Meter, Visibility
    from game.content.scenario import Scenario

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class MeterView:
    """One meter as the player may see it."""

    id: str
    label: str
    description: str
    visibility: str
    """"exact", "estimate" or "hidden"."""
    value: int | None
    """The value (exact) or the reading (estimate); None when hidden."""
    low: int | None
    """Lower end of the estimate's band (equal to value for exact meters)."""
    high: int | None
    """Upper end of the estimate's band."""
    delta: int | None
    """Change of the shown value since the previous decision."""
    band: str
    """Name of the meter's band at this value, if the content names bands."""
    min: int
    max: int


@dataclass(frozen=True, slots=True)
class LadderView:
    """The escalation ladder as the player sees it."""

    rung: int
    name: str
    description: str
    top: int
    delta: int
    names: tuple[str, ...]

    @property
    def steps_to_top(self) -> int:
        """How many rungs remain before the top (which ends the game)."""
        return self.top - self.rung


@dataclass(frozen=True, slots=True)
class View:
    """Everything the player may see of a state."""

    turn: int
    turn_limit: int
    date: str
    ladder: LadderView
    meters: tuple[MeterView, ...]
    """Secondary meters (the ladder excluded), in content order."""
    decision: Decision | None
    lens: str
    """The lens's name, or "hidden"."""
    news: tuple[str, ...]
    ending: str | None


def date_of(scenario: Scenario, turn: int) -> str:
    """Calendar month of a turn, e.g. 'March 2022'."""
    year, month = (int(x) for x in scenario.info.start.split("-"))
    index = (month - 1) + (turn - 1) * scenario.info.months_per_turn
    return f"{MONTHS[index % 12]} {year + index // 12}"


def _reading(state: GameState, index: int, value: int, spread: int) -> int:
    """A biased but reproducible reading within ``spread`` of the true value.

    The bias is a fixed fraction of the band for each (game, meter), drawn from a hash
    of the seed and never from the game's RNG, so looking cannot change the game; as
    intelligence narrows the band the reading closes in on the truth, and turn-to-turn
    changes of the reading follow the real ones.
    """
    if spread <= 0:
        return value
    h = rng.mix((state.seed * 1_000_003 + index * 10_007) & rng.MASK)
    fraction = (h % 2001 - 1000) / 1000
    return value + round(fraction * spread)


def lens_is_hidden(state: GameState) -> bool:
    """Whether the player may not know the lens now: a hidden lens, until the game ends."""
    return state.lens_hidden and not is_over(state)


def meter_visibility(state: GameState, meter: Meter) -> Visibility:
    """How the player sees ``meter`` now: as the content says ("exact", "estimate" or
    "hidden") while the game goes on, and "exact" once it has ended (the debrief shows
    the truth)."""
    return "exact" if is_over(state) else meter.visibility


def band_label(bands: object, value: int) -> str:
    """The label of the band containing ``value`` ('' if none)."""
    label = ""
    for band in bands or ():  # type: ignore[attr-defined]
        if value >= band.min:
            label = band.label
    return label


def view(scenario: Scenario, state: GameState) -> View:
    """The player's view of ``state``."""
    meters = []
    for i, meter in enumerate(scenario.meters):
        if i == 0:
            continue
        value, prev = state.meters[i], state.previous[i]
        vis = meter.visibility  # what the content says, shown beside what the player sees
        shown_as = meter_visibility(state, meter)
        if shown_as == "hidden":
            meters.append(
                MeterView(
                    meter.id,
                    meter.label,
                    meter.description,
                    vis,
                    None,
                    None,
                    None,
                    None,
                    "",
                    meter.min,
                    meter.max,
                )
            )
            continue
        if shown_as == "estimate":
            spread = state.uncertainty[i]
            shown = _reading(state, i, value, spread)
            shown_prev = _reading(state, i, prev, spread)
            low = max(meter.min, shown - spread)
            high = min(meter.max, shown + spread)
            shown = max(meter.min, min(meter.max, shown))
            meters.append(
                MeterView(
                    meter.id,
                    meter.label,
                    meter.description,
                    vis,
                    shown,
                    low,
                    high,
                    shown - shown_prev,
                    band_label(meter.bands, shown),
                    meter.min,
                    meter.max,
                )
            )
            continue
        meters.append(
            MeterView(
                meter.id,
                meter.label,
                meter.description,
                vis,
                value,
                value,
                value,
                value - prev,
                band_label(meter.bands, value),
                meter.min,
                meter.max,
            )
        )
    rungs = scenario.ladder.rungs
    rung = state.meters[0]
    ladder = LadderView(
        rung,
        rungs[rung].name,
        rungs[rung].description,
        len(rungs) - 1,
        rung - state.previous[0],
        tuple(r.name for r in rungs),
    )
    lens = scenario.lens.get(state.lens)
    lens_name = "hidden" if lens_is_hidden(state) else (lens.name if lens else "none")
    decision = current_decision(state)
    return View(
        state.turn,
        state.turn_limit,
        date_of(scenario, state.turn),
        ladder,
        tuple(meters),
        decision,
        lens_name,
        tuple(state.news),
        state.ending,
    )
