"""The game's random numbers: SplitMix64, whose whole state is one integer.

Keeping the state a plain int lets it live inside :class:`GameState` and its saves, and
makes every draw reproducible on any machine and any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from typing import Final

MASK: Final = (1 << 64) - 1
_GOLDEN: Final = 0x9E3779B97F4A7C15


def mix(z: int) -> int:
    """The SplitMix64 output function: a well-scrambled 64-bit value of ``z``."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def seed_state(seed: int) -> int:
    """The RNG state for a game seed (any int, negative included)."""
    return mix(seed & MASK)


# next_float and next_below inline `mix` (the same three lines): they run several
# times a turn, and a Python call costs about as much as the arithmetic.


def next_float(state: int) -> tuple[int, float]:
    """Advance ``state``; return the new state and a float in [0, 1)."""
    state = (state + _GOLDEN) & MASK
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, ((z ^ (z >> 31)) >> 11) * (1.0 / (1 << 53))


def next_below(state: int, n: int) -> tuple[int, int]:
    """Advance ``state``; return the new state and an int in [0, n)."""
    state = (state + _GOLDEN) & MASK
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, (z ^ (z >> 31)) % n
