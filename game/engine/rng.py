"""The game's random numbers: SplitMix64, whose whole state is one 64-bit integer.

Keeping the state a plain integer lets it live inside :class:`GameState` and its saves,
and makes every draw reproducible on any machine and any ``PYTHONHASHSEED``.  The state
is held as a signed 64-bit value (``i64``: SplitMix64's unsigned state read as two's
complement), so that compiled code keeps it in a machine word; saves show it unsigned.

Two ways of drawing, chosen by a game's ``rng_version``:

- version 1 (games begun before save format 2): one sequential stream per game
  (:func:`next_float`, :func:`next_below`), so one extra draw shifts every later one;
- version 2: a separate stream per turn and purpose (:func:`draw_float`,
  :func:`draw_below`).  The draw at ``index`` of the stream for ``(turn, purpose)`` is
  SplitMix64's output at that position of a sequence seeded from the game's own
  sequence at a position given by the turn and the purpose, so a draw depends on
  nothing else: an extra draw in one turn or for one purpose changes no other.  That is
  what lets a counterfactual under another lens meet the same chances wherever the
  lens does not change what is drawn.

Each draw is written twice: with Python ints masked to 64 bits (the reference, and what
runs as plain Python), and with mypyc's ``i64``, whose arithmetic wraps at 64 bits when
this module runs compiled, so that a draw is a few machine instructions rather than a
dozen operations on heap-allocated big ints.  Which one runs is decided by observing
whether ``i64`` wraps (:data:`NATIVE`), and the test suite checks that the two agree.
"""

from __future__ import annotations

from hashlib import blake2b
from typing import Final

from mypy_extensions import i64

MASK: Final = (1 << 64) - 1
_GOLDEN: Final = 0x9E3779B97F4A7C15
_M1: Final = 0xBF58476D1CE4E5B9
_M2: Final = 0x94D049BB133111EB

# The same constants as signed 64-bit values (each minus 2**64), for the i64 path.
_GOLDEN_S: Final[i64] = -0x61C8864680B583EB
_M1_S: Final[i64] = -0x40A7B892E31B1A47
_M2_S: Final[i64] = -0x6B2FB644ECCEEE15
_TWO63: Final = 1 << 63
_TWO64: Final = 1 << 64


def mix(z: int) -> int:
    """The SplitMix64 output function: a well-scrambled 64-bit value of ``z``."""
    z = ((z ^ (z >> 30)) * _M1) & MASK
    z = ((z ^ (z >> 27)) * _M2) & MASK
    return z ^ (z >> 31)


def seed_state(seed: int) -> i64:
    """The RNG state for a game seed (any int, negative included)."""
    return signed(mix(seed & MASK))


def signed(state: int) -> i64:
    """The unsigned 64-bit ``state`` as the signed value the game state holds."""
    return i64(state - _TWO64) if state >= _TWO63 else i64(state)


def unsigned(state: i64) -> int:
    """The game state's signed RNG value as SplitMix64's unsigned state."""
    return int(state) & MASK


# --- the reference: Python ints (next_float and next_below inline `mix`) ---------


def reference_next_float(state: int) -> tuple[int, float]:
    """Advance ``state``; return the new state and a float in [0, 1)."""
    state = (state + _GOLDEN) & MASK
    z = ((state ^ (state >> 30)) * _M1) & MASK
    z = ((z ^ (z >> 27)) * _M2) & MASK
    return state, ((z ^ (z >> 31)) >> 11) * (1.0 / (1 << 53))


def reference_next_below(state: int, n: int) -> tuple[int, int]:
    """Advance ``state``; return the new state and an int in [0, n)."""
    state = (state + _GOLDEN) & MASK
    z = ((state ^ (state >> 30)) * _M1) & MASK
    z = ((z ^ (z >> 27)) * _M2) & MASK
    return state, (z ^ (z >> 31)) % n


# --- the same draws in wrapping 64-bit arithmetic -------------------------------


def _wraps(x: i64) -> bool:
    return x * 4 == 0


NATIVE: Final = _wraps(1 << 62)
"""Whether ``i64`` arithmetic wraps at 64 bits here: true when this module runs compiled
by mypyc; false as plain Python, where ``i64`` is ``int`` and the i64 path would be wrong."""


def _mixed(s: i64) -> i64:
    """:func:`mix` of the signed state ``s``, as a signed value (``x >> n & low bits``
    is the logical shift of the unsigned value)."""
    z = (s ^ ((s >> 30) & 0x3FFFFFFFF)) * _M1_S
    z = (z ^ ((z >> 27) & 0x1FFFFFFFFF)) * _M2_S
    return z ^ ((z >> 31) & 0x1FFFFFFFF)


def next_float(state: i64) -> tuple[i64, float]:
    """Advance ``state``; return the new state and a float in [0, 1)."""
    if not NATIVE:
        u, x = reference_next_float(unsigned(state))
        return signed(u), x
    s = state + _GOLDEN_S
    z = _mixed(s)
    return s, float((z >> 11) & 0x1FFFFFFFFFFFFF) * (1.0 / (1 << 53))


def next_below(state: i64, n: int) -> tuple[i64, int]:
    """Advance ``state``; return the new state and an int in [0, n)."""
    if not NATIVE or not 0 < n < (1 << 31):
        u, k = reference_next_below(unsigned(state), n)
        return signed(u), k
    s = state + _GOLDEN_S
    return s, _below(_mixed(s), i64(n))


def _below(z: i64, m: i64) -> int:
    """The unsigned value of ``z`` modulo ``m`` (0 < m < 2**31)."""
    if z >= 0:
        return int(z % m)
    # the unsigned value is hi * 2**32 + lo; every product below stays under 2**62
    hi = (z >> 32) & 0xFFFFFFFF
    lo = z & 0xFFFFFFFF
    return int(((hi % m) * ((1 << 32) % m) + lo) % m)


# --- version 2: a stream per turn and purpose -----------------------------------------

_MAX_TURN: Final = 1 << 40
_MAX_PURPOSE: Final = 1 << 8


def reference_draw(key: int, turn: int, purpose: int, index: int) -> int:
    """The 64-bit draw at position ``index`` (any int, taken modulo 2**64) of the stream
    for ``(turn, purpose)`` (``0 <= purpose < 256``) of the game whose key (its unsigned
    initial RNG state) is ``key``.

    The stream's own state is the SplitMix64 output of the game's sequence at position
    ``turn * 256 + purpose``; the draw is that stream's output at position ``index``.
    """
    stream = mix((key + (((turn << 8) | purpose) + 1) * _GOLDEN) & MASK)
    return mix((stream + (index + 1) * _GOLDEN) & MASK)


def _draw(key: i64, turn: int, purpose: int, index: i64) -> i64:
    """:func:`reference_draw` in wrapping 64-bit arithmetic, as a signed value (the two
    :func:`_mixed` written out: this runs for every draw)."""
    s = key + (((i64(turn) << 8) | i64(purpose)) + 1) * _GOLDEN_S
    z = (s ^ ((s >> 30) & 0x3FFFFFFFF)) * _M1_S
    z = (z ^ ((z >> 27) & 0x1FFFFFFFFF)) * _M2_S
    s = (z ^ ((z >> 31) & 0x1FFFFFFFF)) + (index + 1) * _GOLDEN_S
    z = (s ^ ((s >> 30) & 0x3FFFFFFFF)) * _M1_S
    z = (z ^ ((z >> 27) & 0x1FFFFFFFFF)) * _M2_S
    return z ^ ((z >> 31) & 0x1FFFFFFFF)


def draw_float(key: i64, turn: int, purpose: int, index: i64) -> float:
    """A float in [0, 1): the draw at ``index`` of the stream for ``(turn, purpose)``."""
    if not NATIVE or not (0 <= turn < _MAX_TURN and 0 <= purpose < _MAX_PURPOSE):
        z = reference_draw(unsigned(key), turn, purpose, int(index))
        return (z >> 11) * (1.0 / (1 << 53))
    return float((_draw(key, turn, purpose, index) >> 11) & 0x1FFFFFFFFFFFFF) * (1.0 / (1 << 53))


def draw_below(key: i64, turn: int, purpose: int, index: i64, n: int) -> int:
    """An int in [0, n): the draw at ``index`` of the stream for ``(turn, purpose)``."""
    if not NATIVE or not (
        0 < n < (1 << 31) and 0 <= turn < _MAX_TURN and 0 <= purpose < _MAX_PURPOSE
    ):
        return reference_draw(unsigned(key), turn, purpose, int(index)) % n
    return _below(_draw(key, turn, purpose, index), i64(n))


def text_key(text: str) -> i64:
    """A stable 64-bit index for a content item (its ref): the same on every machine and
    whatever ``PYTHONHASHSEED`` is (unlike ``hash``)."""
    return signed(int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little"))
