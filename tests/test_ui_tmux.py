"""The real `offramp` command in a real terminal (tmux): a short game end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
