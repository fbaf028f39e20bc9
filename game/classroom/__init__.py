"""The classroom: everything an instructor runs, in one place.

- :mod:`~game.classroom.exercise` — the exercise file: one crisis, seed and rules for a class;
- :mod:`~game.classroom.roster` — the class's folder of saves and its students' names;
- :mod:`~game.classroom.inbox` — live injects pushed to every game of a class;
- :mod:`~game.classroom.lines` — the class folder's files of lines, appended atomically;
- :mod:`~game.classroom.control` — the class paused, resumed or ended, and messages to it;
- :mod:`~game.classroom.serve` — ``offramp serve``: the game in students' browsers;
- :mod:`~game.classroom.zygote` and :mod:`~game.classroom.spawn` — each tab's game forked
  from one warm process, and the tiny command that asks for it;
- :mod:`~game.classroom.lifeline` — a browser session's process ends with its server;
- :mod:`~game.classroom.report` — the class report (text, Markdown, HTML, CSV);
- :mod:`~game.classroom.vote` — a class vote: the class game, its ballot box and tally.

Their screens are Textual's, so they live with the rest of the UI: ``offramp console``
(:mod:`game.ui.console`), a student's tab in a class vote (:mod:`game.ui.voter`) and the
instructor's side of it (:mod:`game.ui.vote_console`) read and write the class folder
through the modules above.

Importing this package is cheap: each module loads what it needs when it is used.
"""

DEFAULT_HOST = "127.0.0.1"
"""Where ``offramp serve`` listens unless told otherwise: this machine only."""
DEFAULT_PORT = 8000
