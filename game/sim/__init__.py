"""The balance simulator: scripted strategies, Monte Carlo runs, coverage and reports."""

from game.sim.coverage import coverage_text, run_coverage
from game.sim.report import build_report, report_json, report_markdown, report_text
from game.sim.runner import GameRecord, play_one, simulate
from game.sim.strategies import Strategy, StrategyError, default_strategy_names, make_strategy

__all__ = [
    "GameRecord",
    "Strategy",
    "StrategyError",
    "build_report",
    "coverage_text",
    "default_strategy_names",
    "make_strategy",
    "play_one",
    "report_json",
    "report_markdown",
    "report_text",
    "run_coverage",
    "simulate",
]
