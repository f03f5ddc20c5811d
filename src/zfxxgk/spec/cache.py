"""What is computed once per spec, not once per file: a cache keyed by the spec itself.

:func:`~zfxxgk.spec.load_spec` makes one :class:`~.compiled.Spec` per version of its file (path and
modification time) and hands out that same object until the file changes; a changed file gives a new
object, so nothing derived from the old one is served for it. Entries are held weakly: they go with
their spec. Each entry also records the spec's hash and is recomputed if it no longer matches.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

from .compiled import Spec

T = TypeVar("T")


def per_spec(fn: Callable[[Spec], T]) -> Callable[[Spec], T]:
    """``fn(spec)`` computed once for each spec object (and spec hash)."""
    memo: weakref.WeakKeyDictionary[Spec, tuple[str, T]] = weakref.WeakKeyDictionary()

    @functools.wraps(fn)
    def cached(spec: Spec) -> T:
        hit = memo.get(spec)
        if hit is not None and hit[0] == spec.hash:
            return hit[1]
        value = fn(spec)
        memo[spec] = (spec.hash, value)
        return value

    cached.cache_clear = memo.clear  # type: ignore[attr-defined]
    return cached
