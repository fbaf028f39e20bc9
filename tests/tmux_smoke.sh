#!/usr/bin/env bash
# Drive the real `offramp` in tmux through a short game: start, play, save, quit,
# continue, kill the terminal, continue again, play to the debrief, export it.
# Reads the screen with capture-pane.
#
# Usage: tests/tmux_smoke.sh SAVES_DIR [OFFRAMP]   (exit 0 on success)
set -euo pipefail

SAVES=${1:?usage: tmux_smoke.sh SAVES_DIR [OFFRAMP]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OFFRAMP=${2:-$ROOT/.venv/bin/offramp}
SOCKET="offramp-smoke-$$"
SESSION=smoke
WIDTH=${SMOKE_WIDTH:-80}
HEIGHT=${SMOKE_HEIGHT:-24}
CMD="cd '$ROOT' && '$OFFRAMP' play --scenario tests/fixtures/mini --saves '$SAVES' --seed 3"

t() { tmux -L "$SOCKET" "$@"; }
screen() { t capture-pane -p -t "$SESSION" 2>/dev/null || true; }
cleanup() { t kill-server 2>/dev/null || true; }
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    echo "----- screen -----" >&2
    screen >&2
    exit 1
}

# Wait until the screen shows a pattern (grep -E), or fail after $2 seconds; with a
# third argument "gone", until it no longer shows it.
wait_for() {
    local pattern=$1 limit=${2:-15} gone=${3:-} waited=0
    while true; do
        if screen | grep -Eq -- "$pattern"; then
            [ -z "$gone" ] && break
        else
            [ -n "$gone" ] && break
        fi
        sleep 0.2
        waited=$((waited + 1))
        [ "$waited" -ge $((limit * 5)) ] && fail "timed out waiting for ${gone:+the end of }$pattern"
    done
    return 0
}

keys() { t send-keys -t "$SESSION" "$@"; }

# A session that outlives the game's, so the tmux server does not exit (and race with
# the next launch, "server exited unexpectedly") each time the game quits.
t new-session -d -s keepalive "sleep 3600"

launch() {
    t new-session -d -s "$SESSION" -x "$WIDTH" -y "$HEIGHT" "$CMD"
    wait_for "New game"
    wait_for "Mini crisis"  # the scenario has loaded behind the title
}

# Close modals (what a choice did, important moments, event choices) until the board or
# debrief shows.
settle() {
    for _ in $(seq 1 10); do
        sleep 0.3
        local now
        now=$(screen)
        if grep -Eq "IMPORTANT|WHAT YOUR CHOICE DID" <<<"$now"; then
            keys Enter
        elif grep -q "EVENT" <<<"$now"; then
            keys 1
            sleep 0.2
            keys Enter
        else
            return 0
        fi
    done
}

# Play one turn: pick option $1, confirm, close what follows.
play() {
    keys "$1"
    wait_for "chooses option"
    keys Enter
    wait_for "chooses option" 15 gone  # the choice is taken (a slow machine may need a while)
    settle
}

ended() { ! t has-session -t "$SESSION" 2>/dev/null; }

# 1. A new game through the dialog and the briefing.
launch
keys n
wait_for "Lens"
keys C-s
wait_for "Begin turn one"
keys Enter
wait_for "Turn 1 of 6"
wait_for "Stability"

# 2. Two turns (the first scrolling what the choice did, then closing it with Escape:
#    nothing of it may stay drawn over the card), a named save, quit.
keys 1
wait_for "chooses option"
keys Enter
wait_for "WHAT YOUR CHOICE DID"
wait_for "What your choice did"
keys PageDown
sleep 0.5
keys Escape
wait_for "WHAT YOUR CHOICE DID" 15 gone
settle
wait_for "Turn 2 of 6"
wait_for "▼−"
play 2
wait_for "Turn 3 of 6"
keys s
wait_for "copy of this turn"
keys q
for _ in $(seq 1 50); do ended && break; sleep 0.2; done
ended || fail "q did not quit"
[ -f "$SAVES/mini-seed3.toml" ] || fail "no game file in $SAVES"
ls "$SAVES"/mini-seed3-turn03.toml >/dev/null || fail "no named save"

# 3. Continue resumes turn three; play a turn, then kill the terminal outright.
launch
keys c
wait_for "Turn 3 of 6"
play 2
wait_for "Turn 4 of 6"
t kill-session -t "$SESSION"

# 4. Continue after the kill resumes turn four; play to the end.
launch
keys c
wait_for "Turn 4 of 6"
for _ in $(seq 1 12); do
    wait_for "Pick an option|DEBRIEF"
    screen | grep -q "DEBRIEF" && break
    play 2
done
wait_for "DEBRIEF" 30
wait_for "Scores" 30

# 5. Export the debrief.
keys e
wait_for "exported"
[ -s "$SAVES/debrief-3.md" ] || fail "debrief not exported"
keys q
for _ in $(seq 1 50); do ended && break; sleep 0.2; done
ended || fail "q did not quit from the debrief"
echo "tmux smoke: OK"
