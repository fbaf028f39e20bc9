"""The debrief's meter chart: what each view plots (build_chart), the plots on the
Chart tab beside each other, the text form behind `v`, and plotext loaded only when
the chart is shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.debrief import Debrief, build_debrief
from game.engine import GameState, choices, choose, is_over, new_game
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.widgets.debrief import ALL_METERS, LADDER, MeterChart, build_chart, chart_views

from .helpers import ROOT, SHIPPED, scenario_at
from .ui_helpers import async_test, settle


def finished(seed: int = 3) -> GameState:
    """A shipped game played to its end, cycling through the options."""
    scenario = scenario_at(SHIPPED)
    state = new_game(scenario, seed, None, hidden=True)
    n = 0
    while not is_over(state):
        options = choices(scenario, state)
        state, _ = choose(scenario, state, options[n % len(options)].id)
        n += 1
    return state


@pytest.fixture(scope="module")
def debrief() -> Debrief:
    return build_debrief(scenario_at(SHIPPED), finished())


class TestBuildChart:
    """Each view of the chart, for the player's lens and for another."""

    def test_all_meters_share_one_plot(self, debrief: Debrief) -> None:
        """The 'all meters' view: every 0–100 meter on one scale, the player's values."""
        scenario = scenario_at(SHIPPED)
        chart = build_chart(scenario, debrief, ALL_METERS, debrief.lens_id)
        wanted = [m.label for m in scenario.meters if (m.min, m.max) == (0, 100)]
        assert len(wanted) >= 5
        assert [label for label, _ in chart.series] == wanted
        assert all(values == debrief.history[label] for label, values in chart.series)
        assert (chart.low, chart.high) == (0, 100)
        assert chart.title.startswith(f"Yours, {debrief.lens_name}: {debrief.ending_title}")

    def test_the_ladder_has_its_rung_names(self, debrief: Debrief) -> None:
        """The escalation view names every rung, bottom first, on its value axis."""
        scenario = scenario_at(SHIPPED)
        chart = build_chart(scenario, debrief, LADDER, debrief.lens_id)
        assert chart.rungs == tuple(r.name for r in scenario.ladder.rungs)
        assert (chart.low, chart.high) == (0, len(scenario.ladder.rungs) - 1)

    def test_one_meter_shows_its_band_thresholds(self, debrief: Debrief) -> None:
        """A meter alone: a line where each band above the lowest begins, with its name."""
        scenario = scenario_at(SHIPPED)
        meter = scenario.meter["stability"]
        chart = build_chart(scenario, debrief, "stability", debrief.lens_id)
        assert chart.bands == tuple((b.min, b.label) for b in meter.bands if b.min > meter.min)
        assert chart.bands

    def test_decisive_moments_are_marked_on_the_players_chart(self, debrief: Debrief) -> None:
        """The turns of the decisive moments of the meters drawn; none on another lens's."""
        scenario = scenario_at(SHIPPED)
        turns = {m.turn for m in debrief.moments}
        charts = [
            build_chart(scenario, debrief, v, debrief.lens_id) for v, _ in chart_views(scenario)
        ]
        assert set().union(*(c.moments for c in charts)) == turns
        other = debrief.counterfactuals[0].lens
        assert build_chart(scenario, debrief, LADDER, other).moments == ()

    def test_another_lens_has_its_own_history_on_the_same_axis(self, debrief: Debrief) -> None:
        """A counterfactual's chart draws its replayed history; both have one turn axis."""
        scenario = scenario_at(SHIPPED)
        for cf in debrief.counterfactuals:
            chart = build_chart(scenario, debrief, ALL_METERS, cf.lens)
            assert all(values == cf.history[label] for label, values in chart.series)
            assert chart.title.startswith(f"{cf.lens_name}: {cf.ending_title}")
            mine = build_chart(scenario, debrief, ALL_METERS, debrief.lens_id)
            assert chart.span == mine.span >= max(len(v) for _, v in chart.series)


def app_at_debrief(tmp_path: Path) -> OffRampApp:
    return OffRampApp(SHIPPED, tmp_path, seed=3)


async def open_debrief(pilot: object, app: OffRampApp) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    app.session = Session(app.scenario, finished(), app.saves)
    app.show_debrief()
    await settle(pilot)  # type: ignore[arg-type]


class TestChartTab:
    """The Chart tab: the player's plot, the other lens's beside it, the text form."""

    @async_test
    async def test_two_plots_and_choosing_what_they_show(self, tmp_path: Path) -> None:
        """Yours and the first other lens side by side; a view or a lens chosen redraws."""
        from game.ui.widgets.plot import HistoryPlot

        app = app_at_debrief(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_debrief(pilot, app)
            screen = app.screen
            assert not screen.query(HistoryPlot)  # not made before the tab is shown
            screen.query_one("#debrief-tabs").active = "tab-chart"  # type: ignore[attr-defined]
            await settle(pilot)
            yours, other = screen.query(HistoryPlot)
            debrief = screen.debrief  # type: ignore[attr-defined]
            assert yours.chart is not None and other.chart is not None
            assert yours.chart.title.startswith("Yours, ")
            first, second = debrief.counterfactuals[:2]
            assert other.chart.title.startswith(first.lens_name)
            assert yours.region.y == other.region.y and other.region.x > yours.region.x
            screen.query_one("#chart-view").value = LADDER  # type: ignore[attr-defined]
            screen.query_one("#chart-lens").value = second.lens  # type: ignore[attr-defined]
            await settle(pilot)
            assert yours.chart.rungs and other.chart.rungs
            assert other.chart.title.startswith(second.lens_name)

    @async_test
    async def test_v_shows_the_chart_as_text(self, tmp_path: Path) -> None:
        """`v` swaps the plots for the text form (block columns and numbers), and back."""
        app = app_at_debrief(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_debrief(pilot, app)
            await pilot.press("v")
            await settle(pilot)
            text = app.screen.query_one(MeterChart)
            assert text.visible and text.region.height > 0
            assert not app.screen.query_one("#chart-plots").display
            await pilot.press("v")
            await settle(pilot)
            assert app.screen.query_one("#chart-plots").display
            assert not app.screen.query_one("#chart-text").display


def test_plotext_is_imported_only_for_the_chart() -> None:
    """Starting the app and opening the debrief screen's module load no plotext."""
    code = (
        "import sys, game.ui.app, game.ui.screens.debrief; "
        "print(any(m.split('.')[0] in ('plotext', 'textual_plotext') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"
