"""Find the line of a key path in TOML text, so errors can say `file.toml:LINE`.

``tomllib`` returns plain data without positions, so this module scans the text once
and records the line where every table, array-of-tables element, key and inline array
element begins.  It is a tolerant scanner, not a parser: on text it does not
understand it simply records less, and callers fall back to the nearest ancestor.
"""

from __future__ import annotations

import re

import tomli

from game.content.errors import KeyPath

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _unescape(raw: str) -> str:
    """A quoted key's escapes decoded (``"a\\u001b"`` is the key 'a\\x1b'), as TOML does."""
    try:
        return str(tomli.loads(f'k = "{raw}"')["k"])
    except tomli.TOMLDecodeError:
        return raw


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.aot_counts: dict[KeyPath, int] = {}

    # -- low level -------------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def advance(self, n: int = 1) -> None:
        chunk = self.text[self.pos : self.pos + n]
        self.line += chunk.count("\n")
        self.pos += n

    def skip_ws(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                end = self.text.find("\n", self.pos)
                self.advance((len(self.text) if end < 0 else end) - self.pos)
            else:
                return

    def skip_string(self) -> str:
        quote = self.peek()
        triple = self.peek(3) == quote * 3
        delim = quote * 3 if triple else quote
        self.advance(len(delim))
        start = self.pos
        while self.pos < len(self.text):
            if quote == '"' and self.peek() == "\\":
                self.advance(2)
                continue
            if self.text.startswith(delim, self.pos):
                value = self.text[start : self.pos]
                self.advance(len(delim))
                # TOML allows up to two extra quotes closing a multi-line string.
                while triple and self.peek() == quote:
                    self.advance()
                return value
            if not triple and self.peek() == "\n":
                return self.text[start : self.pos]
            self.advance()
        return self.text[start:]

    def read_key(self) -> list[str] | None:
        parts: list[str] = []
        while True:
            self.skip_ws(newlines=False)
            c = self.peek()
            if c in ('"', "'"):
                raw = self.skip_string()
                parts.append(_unescape(raw) if c == '"' and "\\" in raw else raw)
            else:
                m = _BARE.match(self.text, self.pos)
                if not m:
                    return None
                parts.append(m.group())
                self.advance(m.end() - self.pos)
            self.skip_ws(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    # -- structure ---------------------------------------------------------------
    def scan(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        while self.pos < len(self.text):
            self.skip_ws(newlines=True)
            if self.pos >= len(self.text):
                break
            line = self.line
            if self.peek() == "[":
                aot = self.peek(2) == "[["
                self.advance(2 if aot else 1)
                key = self.read_key()
                if key is None:
                    self.skip_line()
                    continue
                base = tuple(self._resolve(key))
                if aot:
                    index = self.aot_counts.get(base, -1) + 1
                    self.aot_counts[base] = index
                    # a new element resets the counters of tables nested inside it
                    for k in [k for k in self.aot_counts if k[: len(base)] == base and k != base]:
                        del self.aot_counts[k]
                    table = (*base, index)
                else:
                    table = base
                self.lines.setdefault(table, line)
                self.skip_line()
                continue
            key = self.read_key()
            if key is None or self.peek() != "=":
                self.skip_line()
                continue
            self.advance()
            path = (*table, *key)
            self.lines.setdefault(path, line)
            self.value(path, depth=0)
            self.skip_line()
        return self.lines

    def _resolve(self, key: list[str]) -> list[str | int]:
        """Map a header's dotted key to a path, inserting the index of enclosing arrays."""
        out: list[str | int] = []
        for part in key:
            out.append(part)
            current = tuple(out)
            if current in self.aot_counts and len(out) < len(key):
                out.append(self.aot_counts[current])
        return out

    def skip_line(self) -> None:
        while self.pos < len(self.text) and self.peek() != "\n":
            if self.peek() in ('"', "'"):
                self.skip_string()
            else:
                self.advance()

    def value(self, path: KeyPath, depth: int) -> None:
        if depth > 64:
            return
        self.skip_ws(newlines=False)
        c = self.peek()
        if c in ('"', "'"):
            self.skip_string()
        elif c == "[":
            self.advance()
            index = 0
            while self.pos < len(self.text):
                self.skip_ws(newlines=True)
                if self.peek() == "]":
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                if self.pos >= len(self.text):
                    return
                self.lines.setdefault((*path, index), self.line)
                before = self.pos
                self.value((*path, index), depth + 1)
                if self.pos == before:
                    return
                index += 1
        elif c == "{":
            self.advance()
            while self.pos < len(self.text):
                self.skip_ws(newlines=True)
                if self.peek() == "}":
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                line = self.line
                key = self.read_key()
                if key is None or self.peek() != "=":
                    return
                self.advance()
                sub = (*path, *key)
                self.lines.setdefault(sub, line)
                before = self.pos
                self.value(sub, depth + 1)
                if self.pos == before:
                    return
        else:
            while self.pos < len(self.text) and self.peek() not in ",]}\n#":
                self.advance()


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map every key path found in ``text`` to the line it starts on (1-based)."""
    try:
        return _Scanner(text).scan()
    except RecursionError:  # pathological nesting: report what was found so far
        return {}


def find_line(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or of its nearest ancestor that was found."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None
