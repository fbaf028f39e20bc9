"""The real `offramp` command in a real terminal (tmux): a short game end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "tmux_smoke.sh"
OFFRAMP = Path(sys.executable).parent / "offramp"


def smoke_env(home: Path, width: int, height: int) -> dict[str, str]:
    """The environment for the script: no enclosing tmux, a known terminal, the size."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env.update(TERM="xterm-256color", HOME=str(home), SMOKE_WIDTH=str(width))
    env["SMOKE_HEIGHT"] = str(height)
    return env


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not OFFRAMP.exists(), reason=f"no offramp command at {OFFRAMP}")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_tmux_smoke(tmp_path: Path, size: tuple[int, int]) -> None:
    """Start, play, save, quit, continue, survive a killed terminal, reach the debrief and
    export it, in tmux."""
    width, height = size
    result = subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path / "saves"), str(OFFRAMP)],
        capture_output=True,
        text=True,
        timeout=240,
        env=smoke_env(tmp_path, width, height),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "saves" / "debrief-3.md").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not OFFRAMP.exists(), reason=f"no offramp command at {OFFRAMP}")
def test_what_the_choice_did_leaves_nothing_behind(tmp_path: Path) -> None:
    """On the shipped scenario at 80×24: scroll what the choice did, then Enter; the next
    card is drawn whole, with nothing of what was shown left on the terminal (a stale
    picture Textual's fast scroll path left once, seen only in a real terminal)."""
    socket = f"offramp-test-{os.getpid()}"
    env = smoke_env(tmp_path, 80, 24)

    def t(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, env=env, check=False
        ).stdout

    def wait_for(text: str, gone: bool = False) -> str:
        for _ in range(150):
            screen = t("capture-pane", "-p", "-t", "game")
            if (text in screen) != gone:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{'still' if gone else 'never'} on screen: {text!r}\n{screen}")

    command = f"'{OFFRAMP}' play --saves '{tmp_path / 'saves'}' --seed 7"
    t("new-session", "-d", "-s", "game", "-x", "80", "-y", "24", command)
    try:
        wait_for("New game")
        time.sleep(1.0)  # the scenario loads behind the title
        t("send-keys", "-t", "game", "n")
        wait_for("Lens")
        t("send-keys", "-t", "game", "C-s")
        wait_for("Begin turn one")
        t("send-keys", "-t", "game", "Enter")
        wait_for("Turn 1 of")
        t("send-keys", "-t", "game", "1")
        wait_for("chooses option 1")
        t("send-keys", "-t", "game", "Enter")
        wait_for("WHAT YOUR CHOICE DID")
        for _ in range(3):
            t("send-keys", "-t", "game", "Down")
            time.sleep(0.2)
        t("send-keys", "-t", "game", "Enter")
        screen = wait_for("WHAT YOUR CHOICE DID", gone=True)
        time.sleep(0.5)
        screen = t("capture-pane", "-p", "-t", "game")
        assert "What your choice did" not in screen and "You chose" not in screen, screen
        assert "Pick an option" in screen, screen
    finally:
        t("kill-server")
