"""`offramp validate` finds mistakes, not just errors: warnings, root causes, suggestions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.content import ContentError, load_scenario
from game.content.lint import check_scenario, read_numbered

from .helpers import MINI, SHIPPED, offramp, writable_copy
from .helpers import edit_toml as edit

WARNING_LINE = re.compile(r"^.+\.toml:\d+: \S+: warning: .+$")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini scenario."""
    return writable_copy(MINI, tmp_path)


def warnings(folder: Path) -> list[str]:
    return [str(p) for p in check_scenario(folder)[1] if p.severity == "warning"]


def errors(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_scenario(folder)
    return [str(p) for p in info.value.problems]


def only(found: list[str], fragment: str) -> str:
    matching = [w for w in found if fragment in w]
    assert len(matching) == 1, (fragment, found)
    return matching[0]


class TestWarnings:
    """Each likely mistake is a located warning; the content still loads."""

    def test_the_mini_fixture_warns_only_of_uncited_options(self, mini: Path) -> None:
        found = warnings(mini)
        assert found and all("has no citations" in w for w in found), found
        assert all(WARNING_LINE.match(w) for w in found), found

    def test_the_shipped_scenario_has_no_warnings(self) -> None:
        # every option cited, every flag set is read (issue 14)
        assert warnings(SHIPPED) == []

    def test_option_with_no_effects_and_no_tags(self, mini: Path) -> None:
        edit(mini, 'effects = [{ meter = "morale", scale = 1.1 }]', "")
        edit(
            mini,
            'id = "keep"\n  text = "Keep talking"\n  tags = ["dove"]',
            'id = "keep"\n  text = "K"',
        )
        w = only(warnings(mini), "no effects and no tags")
        assert ": cards[1].options[1]: warning: option 'keep'" in w

    def test_option_with_no_citations(self, mini: Path) -> None:
        w = only(warnings(mini), "option 'close' has no citations")
        assert "cards[1].options[0]" in w

    def test_ending_missing_a_criterion_score(self, mini: Path) -> None:
        edit(mini, 'label = "Peace"', 'label = "Peace"\n\n[[criteria]]\nid = "order"\nlabel = "O"')
        found = warnings(mini)
        w = only(found, "endings[0].scores")
        assert "no score for order" in w
        assert len([x for x in found if "no score for order" in x]) == 3  # every ending

    def test_flag_read_but_never_set(self, mini: Path) -> None:
        edit(mini, '{ set_flag = "talks" }, ', "")
        w = only(warnings(mini), "flag 'talks'")
        assert "flags[0]: warning:" in w and "nothing sets it" in w

    def test_flag_set_but_never_read(self, mini: Path) -> None:
        edit(mini, 'when = "flag.talks and turn >= 2"', 'when = "turn >= 2"')
        edit(mini, 'when = "flag.talks"', 'when = "turn > 3"')
        w = only(warnings(mini), "flag 'talks'")
        assert "no condition reads it" in w

    def test_ending_that_holds_on_turn_one(self, mini: Path) -> None:
        edit(mini, 'when = "stability <= 10"', 'when = "stability <= 60"')
        w = only(warnings(mini), "already holds at the start")
        assert "endings[2].when: warning:" in w

    @pytest.mark.parametrize(
        "condition",
        ["turn == 0", "turn > 6", "stability > 100", "month == 13", "escalation > rung.war"],
    )
    def test_card_whose_condition_can_never_hold(self, mini: Path, condition: str) -> None:
        edit(mini, 'when = "flag.talks and turn >= 2"', f'when = "flag.talks and {condition}"')
        w = only(warnings(mini), "can never hold")
        assert "cards[1].when: warning:" in w

    def test_a_condition_that_can_hold_is_not_flagged(self, mini: Path) -> None:
        edit(mini, 'when = "flag.talks and turn >= 2"', 'when = "turn == 6 or stability + 1 > 100"')
        assert not [w for w in warnings(mini) if "can never hold" in w]

    def test_ending_without_a_condition(self, mini: Path) -> None:
        edit(mini, 'when = "stability <= 10"\n', "")
        w = only(warnings(mini), "no game can reach it")
        assert "endings[2]" in w

    def test_meter_that_never_changes(self, mini: Path) -> None:
        (mini / "more.toml").write_text('[[meters]]\nid = "rain"\nlabel = "Rain"\nstart = 3\n')
        assert "meter 'rain' never changes" in only(warnings(mini), "'rain'")

    def test_uncertainty_on_an_exact_meter_is_an_error(self, mini: Path) -> None:
        edit(
            mini, '{ uncertainty = "morale", add = -2 }', '{ uncertainty = "stability", add = -2 }'
        )
        assert "meter 'stability' is not an estimate" in only(errors(mini), "uncertainty")


class TestRanges:
    """`add = [low, high]`: a mistake in a range is an error at its `add`; a range that
    says less than it seems is a warning."""

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("[-2, -10]", "the range [-2, -10] runs backwards: write the lower end first"),
            ("[-2]", "a range is two whole numbers, [low, high]"),
            ("[-2, -1, 0]", "a range is two whole numbers, [low, high]"),
            ('[-2, "x"]', "not both whole numbers"),
            ('"-10"', "found the string '-10' (write it without quotes)"),
            ("[-2000000, 0]", "and less than or equal to 1000000, not -2000000"),
        ],
    )
    def test_a_bad_range_is_an_error_at_its_add(self, mini: Path, value: str, message: str) -> None:
        edit(mini, '{ meter = "stability", add = -10,', f'{{ meter = "stability", add = {value},')
        found = only(errors(mini), message)
        assert re.search(r"\.toml:59: cards\[0\]\.options\[0\]\.effects\[0\]\.add: ", found)

    def test_a_range_on_uncertainty_is_an_error(self, mini: Path) -> None:
        edit(
            mini,
            '{ uncertainty = "morale", add = -2 }',
            '{ uncertainty = "morale", add = [-3, -1] }',
        )
        assert "a range [low, high] is for meters" in only(errors(mini), "uncertainty")

    def test_a_range_of_one_value(self, mini: Path) -> None:
        edit(mini, '{ meter = "morale", add = -3 }', '{ meter = "morale", add = [-3, -3] }')
        w = only(warnings(mini), "has one value")
        assert (
            "events[0].effects[0].add: warning: the range [-3, -3] has one value: write add = -3"
            in w
        )

    def test_a_range_across_zero(self, mini: Path) -> None:
        edit(mini, '{ meter = "morale", add = -3 }', '{ meter = "morale", add = [-3, 2] }')
        assert "may raise or lower morale" in only(warnings(mini), "events[0].effects[0].add")

    def test_a_good_range_loads_without_warning(self, mini: Path) -> None:
        edit(mini, '{ meter = "morale", add = -3 }', '{ meter = "morale", add = [-6, -2] }')
        assert not [w for w in warnings(mini) if "the range [" in w]
        assert load_scenario(mini).event["storm"].effects[0].add == (-6, -2)


class TestQuotes:
    """A quote is checked word for word when the scenario gives its source's text."""

    def _with_text(self, mini: Path, text: str, quote: str) -> None:
        (mini / "sources").mkdir()
        (mini / "sources" / "a.txt").write_text(text + "\n¶4  Four.\n", encoding="utf-8")
        edit(mini, 'title = "Essay A"', 'title = "Essay A"\ntext = "sources/a.txt"')
        edit(
            mini,
            '{ source = "a", paragraph = 2, stance = "for" }',
            f'{{ source = "a", paragraph = 2, quote = "{quote}", stance = "for" }}',
        )

    def test_paragraphs_are_numbered_lines(self) -> None:
        text = "¶1  One.\n\n¶2  Two words,\n  wrapped.\n¶10 Ten."
        assert read_numbered(text) == {1: "One.", 2: "Two words, wrapped.", 10: "Ten."}

    def test_an_exact_quote_passes(self, mini: Path) -> None:
        self._with_text(mini, "¶1  First.\n\n¶2  Pressure   bites\nhard.\n", "Pressure bites hard")
        assert not [w for w in warnings(mini) if "citations[" in w], warnings(mini)

    def test_a_misquote_is_a_warning_that_says_where_it_is(self, mini: Path) -> None:
        self._with_text(mini, "¶1  Pressure bites.\n\n¶2  Something else.\n", "Pressure bites")
        w = only(warnings(mini), "quote not found")
        assert "cards[0].options[0].citations[0].quote: warning:" in w
        assert "¶2 of sources/a.txt (it is in ¶1)" in w

    def test_a_paragraph_the_text_lacks(self, mini: Path) -> None:
        self._with_text(mini, "¶1  Only one.\n", "Only one")
        assert "sources/a.txt has no ¶2" in only(warnings(mini), "has no ¶")

    def test_a_missing_text_file_is_a_warning_at_the_source(self, mini: Path) -> None:
        edit(mini, 'title = "Essay A"', 'title = "Essay A"\ntext = "sources/nope.txt"')
        assert "sources[0].text: warning: sources/nope.txt" in only(warnings(mini), "nope")

    def test_unchecked_quotes_are_one_info_line(self, mini: Path) -> None:
        edit(mini, "paragraph = 2, stance", 'paragraph = 2, quote = "x", stance')
        edit(mini, "paragraph = 3, stance", 'paragraph = 3, quote = "y", stance')
        found = check_scenario(mini)[1]
        infos = [str(p) for p in found if p.severity == "info"]
        assert (
            len(infos) == 1 and "info: 2 quotes unchecked: sources a, b give no `text`" in infos[0]
        )


class TestRootCause:
    """One mistake, one error: no follow-on errors for what it hides."""

    def test_a_syntax_error_hides_nothing_else(self, mini: Path) -> None:
        (mini / "more.toml").write_text(
            '[[flags]]\nid = "truce"\n\n[[meters]]\nid = "supply\nlabel = "S"\nstart = 1\n'
        )
        edit(mini, 'when = "morale < 40"', 'when = "morale < 40 and flag.truce and supply > 1"')
        found = errors(mini)
        assert len(found) == 1 and "more.toml:5: TOML syntax error" in found[0], found

    def test_uses_of_one_unknown_meter_make_one_error(self, mini: Path) -> None:
        text = (mini / "scenario.toml").read_text().replace('meter = "morale"', 'meter = "moral"')
        (mini / "scenario.toml").write_text(text)
        found = errors(mini)
        assert len(found) == 1, found
        assert "unknown meter 'moral' (did you mean 'morale'?) (and 2 more uses)" in found[0]

    def test_a_triple_id_is_one_error(self, mini: Path) -> None:
        extra = '\n[[flags]]\nid = "talks"\n'
        (mini / "more.toml").write_text(extra * 2)
        [found] = errors(mini)
        assert "duplicate flag 'talks' (first at " in found and ", and 1 more)" in found


class TestDidYouMean:
    """Unknown names suggest the nearest known one, in conditions too."""

    @pytest.mark.parametrize(
        ("old", "new", "fragment"),
        [
            (
                'meter = "stability", add = -10',
                'meter = "stabilty", add = -10',
                "did you mean 'stability'",
            ),
            ('when = "stability < 45"', 'when = "stabilty < 45"', "did you mean 'stability'"),
            ('{ set_flag = "talks" }', '{ set_flag = "talk" }', "did you mean 'talks'"),
            ('when = "flag.talks and', 'when = "flag.talk and', "did you mean 'talks'"),
            ("escalation >= rung.tense", "escalation >= rung.tens", "did you mean 'tense'"),
            ('when = "stability < 45"', 'when = "seen.presure"', "did you mean 'pressure'"),
            ("scores = { peace = 5 }", "scores = { peac = 5 }", "did you mean 'peace'"),
            ('when = "stability < 45"', 'when = "stability =< 45"', "did you mean '<='"),
            ('when = "stability < 45"', 'when = "stability => 45"', "did you mean '>='"),
            ('when = "stability < 45"', 'when = "stability = 45"', "did you mean '=='"),
        ],
    )
    def test_suggestion(self, mini: Path, old: str, new: str, fragment: str) -> None:
        edit(mini, old, new)
        assert any(fragment in p for p in errors(mini)), errors(mini)

    def test_unknown_option_in_a_strategy(self, mini: Path) -> None:
        (mini / "s.toml").write_text(
            '[[strategies]]\nid = "s"\noptions = { "pressure.pusj" = 1 }\n'
        )
        assert "did you mean 'pressure.push'" in only(errors(mini), "pusj")

    def test_no_near_name_lists_the_known_ones(self, mini: Path) -> None:
        edit(mini, 'meter = "stability", add = -10', 'meter = "zzz", add = -10')
        assert "unknown meter 'zzz' (known: escalation, morale, stability)" in errors(mini)[0]


class TestValidateCommand:
    """The real command: warnings print and pass; --strict refuses them."""

    def test_warnings_exit_zero_and_strict_exits_two(self, mini: Path) -> None:
        done = offramp("validate", str(mini))
        assert done.returncode == 0, done.stderr
        lines = [x for x in done.stderr.splitlines() if "warning:" in x]
        assert lines and all(WARNING_LINE.match(x) for x in lines)
        assert "4 warnings" in done.stdout
        strict = offramp("validate", "--strict", str(mini))
        assert strict.returncode == 2
        assert "4 warnings found (errors with --strict)" in strict.stderr

    def test_a_clean_scenario_passes_strict(self, mini: Path) -> None:
        text = (mini / "scenario.toml").read_text()
        cite = '\n  citations = [{ source = "a", paragraph = 1 }]'
        for option in (
            'text = "Close talks"',
            'text = "Keep talking"',
            'text = "Go"',
            'text = "Stay home"',
        ):
            text = text.replace(option, option + cite)
        (mini / "scenario.toml").write_text(text)
        done = offramp("validate", "--strict", str(mini))
        assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
