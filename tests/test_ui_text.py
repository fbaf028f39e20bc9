"""Text helpers and the session: changes in words, gauges, glossary links, moments."""

from __future__ import annotations

from pathlib import Path

from game.content import load_scenario
from game.content.models import GlossaryEntry
from game.engine import Setup
from game.engine.view import view
from game.session import Session
from game.ui.text import bar, delta_text, glossary_terms, linked, signed
from game.ui.widgets.debrief import chart_content, column_chart
from game.ui.widgets.meters import ladder_doc, meter_content

from .helpers import MINI

GLOSSARY = (
    GlossaryEntry(term="FSB", definition="Russia's security service."),
    GlossaryEntry(term="NATO", definition="The alliance.", aliases=["the Alliance"]),
)


class TestChangesInWords:
    """Changes are written with a sign and an arrow, never shown by colour alone."""

    def test_signed(self) -> None:
        """+3, −2 (a real minus) and 0."""
        assert (signed(3), signed(-2), signed(0)) == ("+3", "−2", "0")

    def test_delta_text(self) -> None:
        """▲ for up, ▼ for down, = for no change, '' when unknown."""
        assert (delta_text(3), delta_text(-2), delta_text(0), delta_text(None)) == (
            "▲+3",
            "▼−2",
            "=0",
            "",
        )

    def test_bar_shows_band(self) -> None:
        """An estimate's band is drawn as ▒ between the solid part and the rest."""
        assert bar(50, 40, 60, 0, 100, 10) == "████▒▒░░░░"
        assert bar(50, 50, 50, 0, 100, 10) == "█████░░░░░"
        assert bar(0, 0, 0, 0, 100, 4) == "░░░░"


class TestGlossaryLinks:
    """Glossary terms in texts are found and become clickable links."""

    def test_terms_found_once_in_order(self) -> None:
        """Terms and aliases are found, case-insensitively, on word boundaries."""
        text = "The alliance and the FSB; NATO again. FSBX is not a term."
        assert glossary_terms(GLOSSARY, text) == [1, 0]

    def test_linked_text_opens_the_glossary(self) -> None:
        """Each occurrence carries an action that opens its glossary entry."""
        content = linked(GLOSSARY, "Ask the FSB.")
        assert content.plain == "Ask the FSB."
        metas = [span.style.meta for span in content.spans if hasattr(span.style, "meta")]
        assert {"@click": "app.look_up(0)"} in metas

    def test_no_glossary(self) -> None:
        """Without entries the text is returned as it is."""
        assert linked((), "plain").plain == "plain"


class TestMeterWidgets:
    """The meters panel texts carry numbers, bands, estimates and distance to the top."""

    def test_meter_and_ladder_text(self, tmp_path: Path) -> None:
        """Stability shows its number and band; morale its estimate range; the ladder its rung."""
        scenario = load_scenario(MINI)
        session = Session.start(scenario, tmp_path, Setup(seed=3, lens="hawkish"))
        v = session.view
        stability = meter_content(v.meters[0], 28).plain
        assert "Stability" in stability and "50" in stability and "Shaky" in stability
        morale = meter_content(v.meters[1], 28).plain
        assert "≈" in morale and "(" in morale and "–" in morale
        ladder = ladder_doc(v.ladder, "Escalation", full=True).plain()
        assert (
            "rung 0 of 3" in ladder and "3 rungs below the top" in ladder and "▶ 0 Calm" in ladder
        )


class TestSession:
    """The session calls the engine, logs changes with causes and finds the alerts."""

    def test_choose_logs_and_finds_new_rung(self, tmp_path: Path) -> None:
        """Pushing climbs a rung: the result reports it as an alert; the log has its causes."""
        scenario = load_scenario(MINI)
        session = Session.start(scenario, tmp_path, Setup(seed=3, lens="hawkish"))
        result = session.choose("push")
        assert [a.kind for a in result.alerts][:1] == ["rung"]
        assert any("Pressure bites" in line for line in result.item.changes)
        assert result.save_error == ""
        assert session.on_disk
        assert session.view.turn == 2
        assert view(scenario, session.state) == session.view

    def test_save_failure_is_reported_not_raised(self, tmp_path: Path) -> None:
        """An unwritable saves folder gives a reason, and the game goes on."""
        blocker = tmp_path / "file"
        blocker.write_text("x", encoding="utf-8")
        scenario = load_scenario(MINI)
        session = Session.start(scenario, blocker, Setup(seed=3, hidden=True))
        result = session.choose("wait")
        assert result.save_error
        assert not session.on_disk
        assert session.state.turn == 2


class TestChart:
    """The debrief chart draws meters with block characters."""

    def test_column_chart(self) -> None:
        """Low values are short columns, high values full ones."""
        lines = column_chart([0, 50, 100], 0, 100, rows=2, width=3)
        assert lines == [" ▅█", " ██"] or lines[1].endswith("█")
        assert lines[0][-1] == "█" and lines[0][0] == " "

    def test_chart_content(self) -> None:
        """Each meter gets a headline with first and last value and a scale."""
        text = chart_content({"Stability": (50, 40, 30)}, {"Stability": (0, 100)}, 60, 3).plain
        assert "Stability  50 → 30 (▼−20)" in text
        assert "100┤" in text and "turn" in text


class TestTitleSummary:
    """The title screen's summary: whole sentences, and an ellipsis whenever it is cut."""

    def test_cut_at_a_sentence_end_still_shows_an_ellipsis(self) -> None:
        from game.ui.screens.title import first_sentences

        text = "The crisis begins. " + "More detail follows here. " * 20
        shown = first_sentences(text, 60)
        assert shown.endswith(". …") and len(shown) <= 60
        assert first_sentences("Short.", 60) == "Short."
        assert first_sentences("x" * 100, 20) == "x" * 19 + "…"
