"""Rule expressions: a tiny, safe language of linear forms over cell ids.

Grammar (after ``{var}`` substitution)::

    comparison := expr OP expr            OP in = <= >= < >
    expr       := [-] term (("+" | "-") term)*
    term       := NUMBER | REF | sum(REF) | prev(REF) | prev(sum(REF))
    REF        := table.row.column, where row or column may be a [set] (only inside sum)

Nothing is ever evaluated as Python: an expression becomes a :class:`LinearForm`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .errors import say

OPS = ("=", "<=", ">=", "<", ">")

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<op><=|>=|=|<|>)|(?P<pm>[+-])"
    r"|(?P<func>sum|prev)\s*\(|(?P<close>\))"
    r"|(?P<ref>[a-z][a-z0-9_]*(?:\.(?:\[[a-z][a-z0-9_]*\]|[a-z][a-z0-9_]*)){2}))"
)
_VAR = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class ExprError(ValueError):
    """An expression that cannot be parsed or refers to something unknown."""


@dataclass(frozen=True)
class Term:
    cell: str
    prev: bool = False


@dataclass(frozen=True)
class LinearForm:
    """sum(coef * cell) + const; ``terms`` keeps the written order (for formulas and messages)."""

    terms: tuple[tuple[Term, int], ...]
    const: Decimal = Decimal(0)

    def cells(self, prev: bool | None = None) -> list[str]:
        return [t.cell for t, _ in self.terms if prev is None or t.prev == prev]

    @property
    def uses_prev(self) -> bool:
        return any(t.prev for t, _ in self.terms)

    def evaluate(self, value: Callable[[Term], Decimal | int | None]) -> Decimal | None:
        """The form's value, or None when any term's value is missing."""
        total: Decimal | int = self.const if self.const else 0  # integers stay integers until the end
        for term, coef in self.terms:
            v = value(term)
            if v is None:
                return None
            total += coef * v  # int and Decimal mix exactly; no float ever enters
        return Decimal(total)


@dataclass(frozen=True)
class Comparison:
    lhs: LinearForm
    op: str
    rhs: LinearForm



def substitute(text: str, bindings: Mapping[str, str]) -> str:
    """Replace each ``{var}`` by its bound id; an unbound variable is an error."""

    def repl(m: re.Match[str]) -> str:
        if m.group(1) not in bindings:
            raise ExprError(say("spec.unbound-variable", name=m.group(1)))
        return bindings[m.group(1)]

    return _VAR.sub(repl, text)


def variables(text: str) -> set[str]:
    return set(_VAR.findall(text))


SetResolver = Callable[[str, str, str], list[str] | None]
"""(table, axis 'row'|'column', set name) -> member ids, or None when unknown."""


class _Parser:
    def __init__(self, text: str, sets: SetResolver, known: Callable[[str], bool]) -> None:
        self.text = text
        self.sets = sets
        self.known = known
        self.tokens = self._tokenize(text)
        self.pos = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        i = 0
        stripped = text.rstrip()
        while i < len(stripped):
            m = _TOKEN.match(stripped, i)
            if not m or m.end() == i:
                raise ExprError(say("spec.cannot-parse", text=stripped[i : i + 20]))
            kind = m.lastgroup
            assert kind is not None
            out.append((kind, m.group(kind)))
            i = m.end()
        return out

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, kind: str) -> str:
        tok = self._peek()
        if tok is None or tok[0] != kind:
            if tok is None:
                raise ExprError(say("spec.expected-end", kind=kind))
            raise ExprError(say("spec.expected-token", kind=kind, found=tok[1]))
        self.pos += 1
        return tok[1]

    def comparison(self) -> Comparison:
        lhs = self.expr()
        op = self._take("op")
        rhs = self.expr()
        if self._peek() is not None:
            raise ExprError(say("spec.trailing", text=self.tokens[self.pos][1]))
        return Comparison(lhs, op, rhs)

    def lone_expr(self) -> LinearForm:
        form = self.expr()
        if self._peek() is not None:
            raise ExprError(say("spec.trailing", text=self.tokens[self.pos][1]))
        return form

    def expr(self) -> LinearForm:
        terms: list[tuple[Term, int]] = []
        const = Decimal(0)
        sign = 1
        tok = self._peek()
        if tok and tok[0] == "pm":
            sign = -1 if self._take("pm") == "-" else 1
        while True:
            t_terms, t_const = self.term()
            terms.extend((t, sign * c) for t, c in t_terms)
            const += sign * t_const
            tok = self._peek()
            if tok is None or tok[0] != "pm":
                break
            sign = -1 if self._take("pm") == "-" else 1
        return LinearForm(tuple(terms), const)

    def term(self, prev: bool = False, in_sum: bool = False) -> tuple[list[tuple[Term, int]], Decimal]:
        tok = self._peek()
        if tok is None:
            raise ExprError(say("spec.incomplete"))
        kind, value = tok
        if kind == "num":
            self.pos += 1
            return [], Decimal(value)
        if kind == "func":
            self.pos += 1
            if value == "prev":
                if prev:
                    raise ExprError(say("spec.nested-prev"))
                inner = self.term(prev=True, in_sum=in_sum)
            else:
                if in_sum:  # the grammar has sum(REF) and prev(sum(REF)), so nesting is at most two deep
                    raise ExprError(say("spec.nested-sum"))
                inner = self.term(prev=prev, in_sum=True)
            self._take("close")
            return inner
        if kind == "ref":
            self.pos += 1
            return [(Term(c, prev), 1) for c in self._expand(value, in_sum)], Decimal(0)
        raise ExprError(say("spec.unexpected", text=value))

    def _expand(self, ref: str, in_sum: bool) -> list[str]:
        table, row, col = ref.split(".")
        rows = self._members(table, "row", row, in_sum)
        cols = self._members(table, "column", col, in_sum)
        cells = [f"{table}.{r}.{c}" for r in rows for c in cols]
        for cell in cells:
            if not self.known(cell):
                raise ExprError(say("spec.unknown-cell", cell=cell))
        return cells

    def _members(self, table: str, axis: str, part: str, in_sum: bool) -> list[str]:
        if not part.startswith("["):
            return [part]
        if not in_sum:
            raise ExprError(say("spec.set-outside-sum", part=part))
        members = self.sets(table, axis, part[1:-1])
        if members is None:
            raise ExprError(say("spec.no-such-set", table=table, part=part))
        return members


def parse_comparison(text: str, sets: SetResolver, known: Callable[[str], bool]) -> Comparison:
    """Parse ``lhs OP rhs`` (variables already substituted)."""
    return _Parser(text, sets, known).comparison()


def parse_expr(text: str, sets: SetResolver, known: Callable[[str], bool]) -> LinearForm:
    """Parse a lone linear expression (variables already substituted)."""
    return _Parser(text, sets, known).lone_expr()
