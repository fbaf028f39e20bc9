"""The key footer, drawn as one line of one widget so that a turn's new keys only repaint
it (benchmarks/bench_ui.py measures the turn's cost): it shows the keys that work now,
and a click on one presses it."""

from __future__ import annotations

from pathlib import Path

from game.ui.app import OffRampApp
from game.ui.screens.help import HelpScreen
from game.ui.widgets.footer import Footer

from .helpers import MINI
from .ui_helpers import async_test, reading, screen_lines, start_game


def footer_descriptions(app: OffRampApp) -> list[str]:
    """What the current screen's footer shows, key by key."""
    return [key.description for key in app.screen.query_one(Footer).keys]


class TestFooter:
    """The footer shows the keys that work now, drawn in one line of one widget."""

    @async_test
    async def test_keys_follow_what_is_shown(self, tmp_path: Path) -> None:
        """The decision's keys, then Continue while what the choice did is shown (and
        not Confirm, which Enter does not do then), then the decision's keys again."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            decision = footer_descriptions(app)
            assert {"Pick", "Confirm", "Save", "Why?"} <= set(decision)
            assert "Continue" not in decision
            await pilot.press("1", "enter")
            await pilot.pause()
            assert reading(app) is not None
            shown = footer_descriptions(app)
            assert "Continue" in shown and "Confirm" not in shown
            assert "⏎ Continue" in screen_lines(app)[-1]
            await pilot.press("enter")
            await pilot.pause()
            assert reading(app) is None
            assert footer_descriptions(app) == decision

    @async_test
    async def test_a_click_on_a_key_presses_it(self, tmp_path: Path) -> None:
        """Clicking a key in the footer does what the key does (here: Help)."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            line = screen_lines(app)[-1]
            column = line.index("Help")
            await pilot.click(Footer, offset=(column, 0))
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)


class TestPickRepaint:
    """A pick repaints only the lines of the two options it changes (and keeps the rest
    drawn): what the screen shows must still be the pick just made."""

    @async_test
    async def test_the_screen_marks_the_latest_pick_only(self, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            before = screen_lines(app)
            for key in ("1", "2", "1", "2"):
                await pilot.press(key)
                await pilot.pause()
                marked = [line for line in screen_lines(app) if "▶" in line]
                assert len(marked) == 1, marked
                assert f"▶{key} " in marked[0]
            # back to no pick on the next card: after the choice, nothing is marked,
            # and the footer reads as it did on the decision
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            after = screen_lines(app)
            assert not any("▶" in line for line in after if "┃" in line)
            assert after[-1] == before[-1]


class TestProseLines:
    """Prose draws its lines itself, working out the style and the link style once per
    update (what the choice did is thirty lines, and the per-line work was most of its
    cost): each line must be exactly what Textual's own ``Visual.to_strips`` draws."""

    @async_test
    async def test_each_line_is_what_textual_draws(self) -> None:
        from textual.app import App, ComposeResult
        from textual.content import Content
        from textual.style import Style
        from textual.visual import Visual

        from game.ui.widgets.prose import Doc, Prose

        class One(App[None]):
            CSS = "Prose { link-color: red; link-background: blue; }"  # links stand out

            def compose(self) -> ComposeResult:
                yield Prose(id="text")

        app = One()
        async with app.run_test(size=(40, 12)) as pilot:
            prose = app.query_one(Prose)
            link = Style(underline=True) + Style.from_meta({"@click": "app.bell()"})
            doc = Doc().add("What the choice did:", prefix="")
            doc.add(
                Content.assemble(("Escalation", "bold"), " rises: a ")
                + Content("glossary term").stylize(link)
                + Content(" in a paragraph long enough to wrap twice at this width."),
                prefix="• ",
            )
            doc.blank().add(("dimmed", "dim"), prefix="  ")
            prose.update(doc)
            await pilot.pause()
            width = prose.content_size.width
            lines = prose._lines(width)
            assert len(lines) >= 5  # the long paragraph wrapped, under its bullet
            # as Textual draws the whole text: the same cells, each knowing where in the
            # text it is (for the mouse to select)
            whole = Content("\n").join(lines)
            textual = Visual.to_strips(prose, whole, width, len(lines), prose.visual_style)
            for y in range(len(lines)):
                assert prose.render_line(y) == textual[y], y
            # and the link is drawn in the link colours
            term = [s for y in range(len(lines)) for s in prose.render_line(y) if "term" in s.text]
            backgrounds = [s.style.bgcolor.triplet for s in term if s.style and s.style.bgcolor]
            assert (0, 0, 255) in backgrounds
