"""A parser for the common subset of the Drive `q` language, compiled to a predicate.

Supported: `'<id>' in parents`; `name` and `mimeType` with `contains`, `=`, `!=`;
`fullText contains` (matched against names); `trashed` and `starred` with `=`/`!=`
and true/false; `modifiedTime` with `= != < <= > >=` and an RFC 3339 string; joined
by `and`, `or`, `not` and parentheses. Anything else is a QueryError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

Item = dict[str, Any]
Predicate = Callable[[Item], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<op><=|>=|!=|=|<|>)|(?P<paren>[()])"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)
_TEXT_OPS = {"contains", "=", "!="}
_TIME_OPS = {"=", "!=", "<", "<=", ">", ">="}


class QueryError(ValueError):
    """The query uses syntax outside the supported subset."""


def compile_query(q: str) -> Predicate:
    """Return a predicate for Drive query `q`; raise QueryError on unsupported syntax."""
    parser = _Parser(_tokenize(q), q)
    predicate = parser.expr()
    if parser.peek() is not None:
        raise QueryError(f"unexpected {parser.peek()[1]!r} in query {q!r}")
    return predicate


def _tokenize(q: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(q):
        if q[pos:].strip() == "":
            break
        match = _TOKEN.match(q, pos)
        if not match:
            raise QueryError(f"cannot read query {q!r} at {q[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        tokens.append((kind, text))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], q: str) -> None:
        self.tokens, self.pos, self.q = tokens, 0, q

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (kind and token[0] != kind):
            raise QueryError(f"incomplete query {self.q!r}")
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() == word:
            self.pos += 1
            return True
        return False

    def expr(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda item: any(p(item) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.unary()]
        while self.keyword("and"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else (lambda item: all(p(item) for p in parts))

    def unary(self) -> Predicate:
        if self.keyword("not"):
            inner = self.unary()
            return lambda item: not inner(item)
        token = self.peek()
        if token == ("paren", "("):
            self.take()
            inner = self.expr()
            if self.take("paren")[1] != ")":
                raise QueryError(f"unbalanced parentheses in {self.q!r}")
            return inner
        if token and token[0] == "str":
            value = self.take()[1]
            if not self.keyword("in") or self.take("word")[1] != "parents":
                raise QueryError(f"only \"'<id>' in parents\" is supported, in {self.q!r}")
            return lambda item: value in item.get("parents", ())
        return self.comparison()

    def comparison(self) -> Predicate:
        field = self.take("word")[1]
        op_token = self.take()
        op = op_token[1].lower()
        if op_token[0] not in ("op", "word"):
            raise QueryError(f"expected an operator after {field!r} in {self.q!r}")
        value_token = self.take()
        if field in ("name", "mimeType", "fullText") and op in _TEXT_OPS and value_token[0] == "str":
            if field == "fullText" and op != "contains":
                raise QueryError(f"fullText only supports contains, in {self.q!r}")
            return _text(field if field != "fullText" else "name", op, value_token[1])
        if field in ("trashed", "starred") and op in ("=", "!=") and value_token[1] in ("true", "false"):
            want = (value_token[1] == "true") == (op == "=")
            return lambda item: bool(item.get(field, False)) == want
        if field == "modifiedTime" and op in _TIME_OPS and value_token[0] == "str":
            return _time(op, _parse_time(value_token[1], self.q))
        raise QueryError(f"unsupported condition {field} {op_token[1]} {value_token[1]!r} in {self.q!r}")


def _text(field: str, op: str, value: str) -> Predicate:
    if op == "contains":
        needle = value.lower()
        return lambda item: needle in str(item.get(field, "")).lower()
    if op == "=":
        return lambda item: item.get(field) == value
    return lambda item: item.get(field) != value


def _parse_time(value: str, q: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryError(f"bad time {value!r} in {q!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _time(op: str, bound: datetime) -> Predicate:
    compare = {
        "=": lambda a: a == bound,
        "!=": lambda a: a != bound,
        "<": lambda a: a < bound,
        "<=": lambda a: a <= bound,
        ">": lambda a: a > bound,
        ">=": lambda a: a >= bound,
    }[op]

    def check(item: Item) -> bool:
        stamp = item.get("modifiedTime")
        return bool(stamp) and compare(datetime.fromisoformat(stamp.replace("Z", "+00:00")))

    return check
