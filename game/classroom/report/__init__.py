"""The class report: a folder of student saves turned into figures for the discussion.

:mod:`.builder` reads the folder into one tree of data (:mod:`.model`), replaying each game
and simulating players in the same crisis; the renderers turn it into terminal text
(:mod:`.text`), Markdown (:mod:`.markdown`), HTML pages with inline SVG charts, the
projector's screen included (:mod:`.page`, :mod:`.charts`), and CSV for a gradebook
(:mod:`.gradebook`).  Their shared wording is in :mod:`.wording`.
"""

from game.classroom.report.builder import (
    build_class_report,
    clean_name,
    degenerate_outcome,
    strategy_label,
)
from game.classroom.report.gradebook import class_report_csv
from game.classroom.report.markdown import class_report_markdown
from game.classroom.report.model import ClassReport, StudentResult
from game.classroom.report.page import class_report_html, class_report_projector
from game.classroom.report.text import class_report_text
from game.classroom.report.wording import divisive_cards

__all__ = [
    "ClassReport",
    "StudentResult",
    "build_class_report",
    "class_report_csv",
    "class_report_html",
    "class_report_markdown",
    "class_report_projector",
    "class_report_text",
    "clean_name",
    "degenerate_outcome",
    "divisive_cards",
    "strategy_label",
]
