"""Pydantic models of the content format: what a scenario folder of TOML files may say.

Each field carries a docstring; they feed the JSON Schema (``offramp schema``) and the
authoring guide.  Conditions are kept as text here and parsed by the loader, which
knows the scenario's names.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from game.content.text import PRINTABLE, first_control

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
"""Ids are lower-case letters, digits and underscores, starting with a letter or digit."""

Text = Annotated[str, Field(max_length=20_000, pattern=PRINTABLE)]
"""Text for people: no control characters or terminal escapes (newlines and tabs are fine)."""
When = Annotated[str, Field(pattern=PRINTABLE)]
"""A condition's text; the loader parses it (the engine limits it to 2,000 characters)."""

ScoreText = Annotated[str, Field(max_length=2_000, pattern=PRINTABLE)]
"""A score expression's text; the loader parses it (see game.content.conditions)."""
Score = Annotated[int, Field(ge=0, le=10)]
"""A score on a criterion: 0..10."""


def _score_value(value: object) -> object:
    """One clear message for an ending's score, rather than one per member of the union
    (a number or an expression)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("expected a score 0..10 or a score expression in quotes")
    if isinstance(value, int) and not 0 <= value <= 10:
        raise ValueError(f"a score must be at least 0 and less than or equal to 10, not {value}")
    if isinstance(value, str):
        if value.strip().isdigit():
            raise ValueError(
                f"expected a score 0..10 or a score expression; found the string {value!r} "
                "(write it without quotes)"
            )
        if len(value) > 2_000:
            raise ValueError("a score expression has at most 2,000 characters")
        at = first_control(value)
        if at is not None:
            raise ValueError(f"control character U+{ord(value[at]):04X} at character {at + 1}")
    return value


EndingScore = Annotated[Score | ScoreText, BeforeValidator(_score_value)]
"""An ending's score on a criterion: a number or a score expression."""


# --- bounds ------------------------------------------------------------------------
# Every whole number the engine computes with has a stated range, far inside the 64-bit
# machine integers of the compiled engine (its range tests treat 2**60 as "no bound").

MAX_VALUE = 1_000_000
"""Meter values (min, max, start, bands) and effect amounts lie in -MAX_VALUE..MAX_VALUE."""
FORMAT = 2
"""The newest content format this version of Off-Ramp reads (``format`` in ``[scenario]``)."""
MAX_TURNS = 200
"""The longest game: turn limits and scheduled turns are 1..MAX_TURNS."""
MAX_RUNGS = 40
"""The most rungs a ladder may have."""
MAX_PARAGRAPHS = 100_000
"""The highest paragraph number a citation may give."""

Value = Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
"""A meter value or an amount: -1,000,000..1,000,000."""
Weight = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
"""A strategy's preference: a finite number in -1,000,000..1,000,000."""
Paragraph = Annotated[int, Field(ge=1, le=MAX_PARAGRAPHS)]
"""A paragraph number, 1..100,000."""

Visibility = Literal["exact", "estimate", "hidden"]
"""How a meter is shown while the game goes on (see game.engine.view)."""


class Model(BaseModel):
    """Base: unknown keys are mistakes, models are immutable once loaded.

    Strict: a TOML string is never read as a number (`start = "70"`) nor a number or a
    string as a boolean (`once = "yes"`), and `true` is not the whole number 1; only a
    whole number may stand where a decimal is meant (`chance = 1`).  Decimals must be
    finite: `nan` and `inf` would poison every sum the engine and the simulator make.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        strict=True,
        allow_inf_nan=False,
    )


# --- words for people --------------------------------------------------------------


class Citation(Model):
    """A passage of a source that an option, event, rule or verdict rests on."""

    source: Id
    """Id of a source declared in `[[sources]]`, e.g. "000"."""
    paragraph: Paragraph | Annotated[list[Paragraph], Field(min_length=1)] = Field(
        union_mode="left_to_right"
    )
    """Paragraph number (¶) in the source's numbered text, or a list of them."""
    quote: Annotated[str, Field(max_length=200, pattern=PRINTABLE)] = ""
    """A short exact quote from that paragraph (under ~25 words), shown on demand."""
    stance: Literal["for", "against", "context"] = "for"
    """Whether the passage argues for the option, against it, or only informs it."""

    @field_validator("paragraph", mode="before")
    @classmethod
    def _paragraph_numbers(cls, value: object) -> object:
        """One clear message, rather than one per member of the union (number or list)."""
        items = value if isinstance(value, list) else [value]
        if not items:
            raise ValueError("a citation needs at least one paragraph")
        for item in items:
            if not isinstance(item, int) or isinstance(item, bool):
                raise ValueError("expected a paragraph number or an array of them, like [8, 12]")
            if not 1 <= item <= MAX_PARAGRAPHS:
                raise ValueError(f"paragraph numbers are 1..{MAX_PARAGRAPHS:,}, not {item}")
        return value

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """The cited paragraph numbers as a tuple."""
        return (self.paragraph,) if isinstance(self.paragraph, int) else tuple(self.paragraph)

    def label(self) -> str:
        """Short human label, e.g. '000 ¶8–12' or '001 ¶5, ¶9'."""
        ps = self.paragraphs
        if len(ps) > 1 and list(ps) == list(range(ps[0], ps[-1] + 1)):
            return f"{self.source} ¶{ps[0]}–{ps[-1]}"
        return f"{self.source} " + ", ".join(f"¶{p}" for p in ps)


class Source(Model):
    """A source the scenario draws on: an essay, a report, a memoir… (declare your own)."""

    id: Id
    """Short id used in citations, e.g. "000" or "kennedy"."""
    title: Text
    """Title as printed (or a descriptive title where the text has none)."""
    outlet: Text = ""
    """Where it was published."""
    author: Text = ""
    """Author, where known."""
    year: int | None = Field(default=None, ge=-9999, le=9999)
    """Year of publication."""
    stance: Text = ""
    """The source's argument in one line."""
    paragraphs: int | None = Field(default=None, ge=1, le=MAX_PARAGRAPHS)
    """How many numbered paragraphs the source has; citations beyond it are errors."""
    text: str | None = Field(default=None, max_length=300, pattern=PRINTABLE)
    """A local copy of the text, relative to the scenario folder (e.g. "sources/000.txt"):
    paragraphs numbered `¶1`, `¶2`, … at the start of a line. `offramp validate` then
    checks every citation's `quote` against its paragraph."""


class GlossaryEntry(Model):
    """A term a player may look up from any screen."""

    term: str = Field(min_length=1, max_length=80, pattern=PRINTABLE)
    """The term as it appears in text, e.g. "FSB"."""
    definition: Text
    """A plain explanation for a first-year student."""
    aliases: list[Text] = []
    """Other spellings that should find this entry."""


class BriefingSection(Model):
    """One section of the opening briefing."""

    heading: Text
    """Section heading."""
    text: Text
    """Section body (plain text, blank lines separate paragraphs)."""


class Criterion(Model):
    """A criterion on which every ending is scored."""

    id: Id
    """Id used in `scores` tables."""
    label: Text
    """Name shown to players, e.g. "Sovereignty"."""
    description: Text = ""
    """What a high score means."""
    score: ScoreText | None = None
    """Default score expression (0..10 after clamping), computed when the game ends from
    its final state and history, e.g. "10 - peak.escalation"; an ending's `scores` may
    add to it ("+2"), cap it ("min(default, 6)") or replace it."""
    weight: int = Field(default=1, ge=0, le=100)
    """How much this criterion counts in an ending's total (the simulator's "best" and
    the rankings); 0 leaves it out of the total."""


# --- the scenario's state ------------------------------------------------------------


class Band(Model):
    """A named range of a meter, e.g. 'Shaky' from 30 up."""

    min: Value
    """Lowest value (inclusive) of this band; the band runs up to the next band's min."""
    label: Text
    """Name of the band, shown beside the number."""


class Meter(Model):
    """A number the game tracks, such as regime stability."""

    id: Id
    """Id used in effects and conditions."""
    label: Text
    """Name shown to players."""
    description: Text = ""
    """What it measures, for the briefing and help."""
    min: Value = 0
    """Lowest value; effects clamp here."""
    max: Value = 100
    """Highest value; effects clamp here."""
    start: Value
    """Value at the start of the game."""
    visibility: Visibility = "exact"
    """exact: shown as is; estimate: shown with an uncertainty band; hidden: not shown."""
    uncertainty: int = Field(default=0, ge=0, le=MAX_VALUE)
    """For estimates: half-width of the band at the start; effects on `uncertainty` change it."""
    bands: list[Band] = []
    """Optional named ranges, lowest first."""

    @field_validator("max")
    @classmethod
    def _max_above_min(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("min")
        if low is not None and value <= low:
            raise ValueError(f"max ({value}) must be above min ({low})")
        return value

    @field_validator("start")
    @classmethod
    def _start_in_range(cls, value: int, info: ValidationInfo) -> int:
        low, high = info.data.get("min"), info.data.get("max")
        if low is not None and high is not None and not low <= value <= high:
            raise ValueError(f"start ({value}) is outside {low}..{high}")
        return value

    @field_validator("bands")
    @classmethod
    def _bands_sorted(cls, bands: list[Band]) -> list[Band]:
        mins = [b.min for b in bands]
        if mins != sorted(set(mins)):
            raise ValueError("bands must be listed lowest first, each with a different min")
        return bands


class Rung(Model):
    """A rung of the escalation ladder."""

    id: Id
    """Id usable in conditions as `rung.ID`."""
    name: Text
    """Name shown to players, e.g. "Nuclear signalling"."""
    description: Text = ""
    """What this rung means and what follows from it."""
    only_from: list[Id] = []
    """If given, the ladder climbs onto this rung only from one of these rungs (e.g.
    nuclear use only from the nuclear alert); a climb from elsewhere stops at the highest
    rung below it that it may reach.  Rungs climbed past are not checked."""


class Ladder(Model):
    """The escalation ladder: a meter whose values are named rungs, lowest first."""

    id: Id = "escalation"
    """Meter id of the ladder in effects and conditions."""
    label: Text = "Escalation"
    """Name shown to players."""
    start: int = Field(default=0, ge=0, le=MAX_RUNGS - 1)
    """Rung number (0 = the first rung) at the start."""
    top_ending: Id
    """Ending that fires when the top rung is reached."""
    rungs: list[Rung] = Field(min_length=2, max_length=MAX_RUNGS)
    """The rungs, lowest first; reaching the last one ends the game."""
    max_step: int | None = Field(default=None, ge=1, le=MAX_RUNGS)
    """If given, one change (an effect, a `scale` included) climbs at most this many
    rungs; falling is not limited."""


class Flag(Model):
    """A yes/no fact of the game, such as 'talks are open'."""

    id: Id
    """Id used in effects (`set_flag`, `clear_flag`) and conditions (`flag.ID`)."""
    description: Text = ""
    """What it means while set."""
    start: bool = False
    """Whether it is set at the start."""


# --- what happens ---------------------------------------------------------------------


class Effect(Model):
    """One change to the state: to a meter, an estimate's uncertainty, or a flag.

    Exactly one target: `meter` with one of `add`/`set`/`scale`; `uncertainty` with `add`;
    or `set_flag` / `clear_flag`.
    """

    meter: Id | None = None
    """Meter (or the ladder) to change."""
    uncertainty: Id | None = None
    """Estimated meter whose uncertainty band to change (with `add`; intelligence lowers it)."""
    add: Value | None = None
    """Amount to add (negative to subtract)."""
    set: Value | None = None
    """Value to set the meter to."""
    scale: float | None = Field(default=None, ge=0, le=10)
    """Factor to multiply the meter by (rounded to a whole number)."""
    set_flag: Id | None = None
    """Flag to set."""
    clear_flag: Id | None = None
    """Flag to clear."""
    after: int = Field(default=0, ge=0, le=100)
    """Apply this many turns later instead of now."""
    chance: float = Field(default=1.0, gt=0, le=1)
    """Probability that the effect happens at all (drawn from the game's seeded RNG)."""
    why: Text = ""
    """Short explanation shown to players: why would this happen?"""
    when: When | None = None
    """Condition on this effect alone: it happens only if this holds when it would take
    place (a delayed effect: when it is scheduled), e.g. "lens.restraint" or
    "escalation >= rung.sieges"."""

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        targets = [
            k for k in ("meter", "uncertainty", "set_flag", "clear_flag") if getattr(self, k)
        ]
        ops = [k for k in ("add", "set", "scale") if getattr(self, k) is not None]
        if len(targets) != 1:
            raise ValueError(
                "an effect needs exactly one of meter, uncertainty, set_flag, clear_flag"
                + (f" (found {', '.join(targets)})" if targets else "")
            )
        if self.meter and len(ops) != 1:
            raise ValueError("a meter effect needs exactly one of add, set, scale")
        if self.uncertainty and ops != ["add"]:
            raise ValueError("an uncertainty effect takes `add` only")
        if (self.set_flag or self.clear_flag) and ops:
            raise ValueError("a flag effect takes no add, set or scale")
        return self

    @property
    def target(self) -> str:
        """The id this effect touches."""
        return self.meter or self.uncertainty or self.set_flag or self.clear_flag or ""


class Option(Model):
    """One choice on a card or an event."""

    id: Id
    """Id unique within its card or event; recorded in saves."""
    text: Text
    """What the player chooses, in a sentence."""
    detail: Text = ""
    """Longer explanation, shown on demand."""
    tags: list[Id] = []
    """Tags that lens rules match, e.g. "sanctions", "regime_change"."""
    effects: list[Effect] = []
    """What the option does before any lens adjusts it."""
    citations: list[Citation] = []
    """Who argues for or against this option (source and paragraph)."""


class Card(Model):
    """A decision card: a dilemma with 2–4 options, dealt when its condition holds."""

    id: Id
    """Id recorded in saves."""
    title: Text
    """Card title."""
    text: Text
    """The situation, as the player's advisers put it."""
    when: When = "true"
    """Condition under which the card can be dealt."""
    weight: int = Field(default=10, ge=1, le=1000)
    """Relative chance of being dealt among eligible cards."""
    cooldown: int = Field(default=4, ge=0, le=1000)
    """Turns after being dealt before it can come up again."""
    once: bool = False
    """If true, the card is dealt at most once a game."""
    priority: int = Field(default=0, ge=0, le=1_000)
    """Above 0: dealt before the weighted draw whenever its condition holds (and it is
    open: not on cooldown, not a `once` card already dealt), higher priorities first, so
    a scripted opening or beat always comes."""
    tags: list[Id] = []
    """Tags describing the card (for strategies and reports)."""
    options: list[Option] = Field(min_length=2, max_length=4)
    """The options: 2 to 4."""


class Event(Model):
    """News: something that happens when its condition holds, maybe with its own choice."""

    id: Id
    """Id recorded in saves and used by injects."""
    title: Text
    """Headline."""
    text: Text
    """What happened."""
    when: When = "true"
    """Condition under which it may fire."""
    chance: float = Field(default=1.0, ge=0, le=1)
    """Probability of firing on a turn when its condition holds."""
    once: bool = True
    """If true, fires at most once a game."""
    cooldown: int = Field(default=0, ge=0, le=1000)
    """Turns after firing before it can fire again."""
    inject_only: bool = False
    """If true, fires only when scheduled or pushed by an instructor."""
    priority: int = Field(default=0, ge=-1_000, le=1_000)
    """Events that may fire are tried highest priority first (equal priorities in file
    order), so an event that must win a crowded turn need not come first in the file."""
    important: bool = False
    """Mark it ‼ and announce it in what the choice did, not only as a line in the news."""
    effects: list[Effect] = []
    """What the event does when it fires."""
    options: list[Option] = Field(default=[], max_length=4)
    """Its own choice (0, or 2–4 options), asked before the turn's card."""
    citations: list[Citation] = []
    """Where the sources describe this kind of event."""

    @field_validator("options")
    @classmethod
    def _not_one(cls, options: list[Option]) -> list[Option]:
        if len(options) == 1:
            raise ValueError("an event's choice needs 2 to 4 options (or none)")
        return options


class Ending(Model):
    """An ending: fires when its condition holds; scored on every criterion."""

    id: Id
    """Id recorded in saves."""
    title: Text
    """Name of the ending."""
    text: Text
    """What happened, told in the debrief."""
    when: When = "false"
    """Condition that ends the game (checked after the news and after each decision)."""
    priority: Value = 0
    """When several endings hold at once, the highest priority wins."""
    scores: dict[Id, EndingScore] = {}
    """Score on each criterion id: a number 0..10, or a score expression computed when the
    game ends ("cohesion / 10", "+2" adds to the criterion's `score`, "min(default, 4)"
    caps it); clamped to 0..10.  A criterion left out takes the criterion's `score`."""
    catastrophe: bool = False
    """A catastrophe (e.g. nuclear use): a game ending here never counts among the
    simulator's best outcomes, whatever its scores."""
    verdicts: dict[Id, Annotated[str, Field(max_length=400, pattern=PRINTABLE)]] = {}
    """One-line verdict per source id: what that author would say of this ending."""
    questions: list[Text] = []
    """Discussion questions for the debrief."""
    citations: list[Citation] = []
    """Passages this ending rests on."""


class Dynamic(Model):
    """A per-turn rule: while its condition holds, its effects apply at the end of every turn."""

    id: Id
    """Id shown as the cause of its changes."""
    label: Text = ""
    """Short name shown as the cause, e.g. "Sanctions erode war capacity"."""
    when: When = "true"
    """Condition under which it applies this turn."""
    effects: list[Effect] = Field(min_length=1)
    """What it does each turn."""
    citations: list[Citation] = []
    """Passages it rests on."""
    assumption: bool = False
    """True if it is the designers' assumption, not an essay's claim; the debrief says so."""


class LensRule(Model):
    """A lens rule: for options with a matching tag (and a true condition) adjust effects.

    Order: `replace` drops all the option's effects, `cancel` drops those on the listed
    meters, `scale` multiplies the remaining `add` effects on a meter, then `effects` are
    added.
    """

    id: Id
    """Id unique within the lens, shown as the cause of its changes."""
    tags: list[Id] = Field(min_length=1)
    """The rule applies to options carrying any of these tags."""
    when: When = "true"
    """And only while this condition holds."""
    replace: bool = False
    """Drop all of the option's own effects."""
    cancel: list[Id] = []
    """Drop the option's effects on these meters or flags."""
    scale: dict[Id, Annotated[float, Field(ge=0, le=10)]] = {}
    """Multiply the option's `add` effects on these meters by a factor."""
    effects: list[Effect] = []
    """Effects added by the lens."""
    why: Text = ""
    """The author's reasoning, paraphrased, shown with the changes."""
    citations: list[Citation] = Field(min_length=1)
    """Passages the rule rests on (at least one)."""


class Lens(Model):
    """An author's theory of cause and effect, as rules the engine runs."""

    id: Id
    """Id used on the command line and in saves."""
    name: Text
    """Name shown to players, e.g. "Restraint"."""
    source: Id
    """The source whose argument this is."""
    summary: Text
    """The theory in a sentence or two."""
    rules: list[LensRule] = []
    """Rules that adjust options' effects."""
    dynamics: list[Dynamic] = []
    """Per-turn dynamics that hold only under this lens."""
    questions: list[Text] = []
    """Discussion questions about this lens for the debrief."""


class ScenarioInfo(Model):
    """The scenario's metadata (the `[scenario]` table)."""

    id: Id
    """Id of the scenario, recorded in saves."""
    title: Text
    """Title shown on the title screen."""
    summary: Text = ""
    """One paragraph for the title screen, which shows at most its first 240 characters
    (whole sentences, then "…"); the briefing has room for the rest."""
    role: Text = ""
    """Who the player is."""
    start: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    """Start month as YYYY-MM."""
    months_per_turn: int = Field(default=1, ge=1, le=12)
    """Months that pass each turn."""
    turn_limit: int = Field(ge=1, le=MAX_TURNS)
    """Last turn; after it the default ending fires."""
    default_ending: Id
    """Ending used when the turn limit is reached."""
    cards_per_turn: int = Field(default=1, ge=1, le=4)
    """Decision cards dealt each turn."""
    max_events_per_turn: int = Field(default=2, ge=0, le=10)
    """At most this many news events fire by chance each turn (injects come on top)."""
    format: int = Field(default=1, ge=1, le=FORMAT)
    """The content format the scenario is written to: 1 (the first) or 2 (score
    expressions, priorities, per-effect `when`, ranges, ladder guards, weights,
    catastrophes).  Optional; a newer number than this Off-Ramp knows is refused with a
    message saying so."""


class Briefing(Model):
    """The opening briefing shown before turn one."""

    title: Text = "Briefing"
    """Heading of the briefing screen."""
    sections: list[BriefingSection] = []
    """The sections, in order."""


class StrategyModel(Model):
    """A scripted player for the simulator: weights by tag or option id."""

    id: Id
    """Id used with `offramp simulate --strategy`."""
    description: Text = ""
    """What the strategy is meant to represent."""
    tags: dict[Id, Weight] = {}
    """Preference per option tag (positive favours, negative avoids)."""
    options: dict[Text, Weight] = {}
    """Preference per option, keyed "card_id.option_id"."""


class Fragment(Model):
    """What one TOML file of a scenario folder may hold; a scenario is the union of its files."""

    scenario: ScenarioInfo | None = None
    """The scenario's metadata: exactly one file must have it."""
    briefing: Briefing | None = None
    """The opening briefing (at most one file)."""
    ladder: Ladder | None = None
    """The escalation ladder (exactly one file)."""
    sources: list[Source] = []
    """Sources the scenario cites."""
    criteria: list[Criterion] = []
    """Criteria endings are scored on."""
    meters: list[Meter] = []
    """Meters other than the ladder."""
    flags: list[Flag] = []
    """Flags."""
    cards: list[Card] = []
    """Decision cards."""
    events: list[Event] = []
    """News events."""
    endings: list[Ending] = []
    """Endings."""
    lenses: list[Lens] = []
    """Lenses."""
    dynamics: list[Dynamic] = []
    """Per-turn dynamics that hold under every lens."""
    glossary: list[GlossaryEntry] = []
    """Glossary entries."""
    strategies: list[StrategyModel] = []
    """Simulator strategies."""
