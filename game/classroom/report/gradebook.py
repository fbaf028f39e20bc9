"""The class report as CSV: one row per student, for a gradebook."""

from __future__ import annotations

import csv
import io

from game.classroom.report.model import ClassReport


def class_report_csv(report: ClassReport) -> str:
    """One row per student for a gradebook: name, file, finished, ending, each criterion's
    score and the total, turns, and the live injects received (event@turn)."""

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    criteria = report.criteria
    labels = [label for _, label in criteria]
    writer.writerow(["name", "file", "finished", "ending", *labels, "total", "turns", "injects"])
    for s in report.students:
        scores = [str(s.scores[c]) if c in s.scores else "" for c, _ in criteria]
        writer.writerow(
            [
                _spreadsheet_safe(s.name),
                _spreadsheet_safe(s.file),
                "yes" if s.finished else "no",
                s.ending_title,
                *scores,
                "" if s.total_score is None else str(s.total_score),
                str(s.turns),
                " ".join(f"{i.event}@{i.turn}" for i in s.injects),
            ]
        )
    return buffer.getvalue()


def _spreadsheet_safe(text: str) -> str:
    """A name from a file, kept from being read as a formula by a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
