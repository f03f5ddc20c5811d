"""A read-only sequence whose items are made when asked for (the compile's sources, tasks and rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Lazy(Sequence[T]):
    """Indexing and slicing over :meth:`_item`; a subclass gives ``__len__`` and ``_item(k)`` for ``0 <= k < len``."""

    def _item(self, k: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, n: int) -> T: ...

    @overload
    def __getitem__(self, n: slice) -> list[T]: ...

    def __getitem__(self, n: int | slice) -> T | list[T]:
        if isinstance(n, slice):
            return [self._item(k) for k in range(*n.indices(len(self)))]
        k = n + len(self) if n < 0 else n
        if not 0 <= k < len(self):
            raise IndexError(n)
        return self._item(k)
