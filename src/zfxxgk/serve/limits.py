"""Slowing down guessing: failed logins (per user name and per client address) and wrong upload links.

The counts live in the server's memory (one Uvicorn process): a restart forgets them, which only gives a
guesser a fresh start after the clerk restarted the server. Each refusal is recorded in the audit log.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN_PER_USER = 5  # failed logins of one user name within the window before it is locked
LOGIN_PER_ADDRESS = 20  # failed logins from one address (any names)
LOGIN_WINDOW = LOGIN_LOCK = 15 * 60.0  # seconds
TOKEN_PER_ADDRESS = 30  # wrong upload links from one address
TOKEN_WINDOW = TOKEN_LOCK = 10 * 60.0


@dataclass
class Limiter:
    """At most ``limit`` failures per key within ``window`` seconds; then the key is locked for ``lock`` seconds."""

    limit: int
    window: float
    lock: float
    clock: Callable[[], float] = time.monotonic
    _fails: dict[str, deque[float]] = field(default_factory=dict)
    _locked: dict[str, float] = field(default_factory=dict)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    def _now(self) -> float:
        return self.clock()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again (0: it may now)."""
        with self._mutex:
            until = self._locked.get(key, 0.0) - self._now()
            if until <= 0:
                self._locked.pop(key, None)
                return 0.0
            return until

    def fail(self, key: str) -> bool:
        """Count a failure; True when it locks the key."""
        now = self._now()
        with self._mutex:
            fails = self._fails.setdefault(key, deque())
            fails.append(now)
            while fails and fails[0] <= now - self.window:
                fails.popleft()
            if len(fails) < self.limit:
                return False
            self._locked[key] = now + self.lock
            del self._fails[key]
            return True

    def reset(self, key: str) -> None:
        with self._mutex:
            self._fails.pop(key, None)
            self._locked.pop(key, None)


@dataclass
class Limits:
    """The server's limiters."""

    users: Limiter = field(default_factory=lambda: Limiter(LOGIN_PER_USER, LOGIN_WINDOW, LOGIN_LOCK))
    logins: Limiter = field(default_factory=lambda: Limiter(LOGIN_PER_ADDRESS, LOGIN_WINDOW, LOGIN_LOCK))
    tokens: Limiter = field(default_factory=lambda: Limiter(TOKEN_PER_ADDRESS, TOKEN_WINDOW, TOKEN_LOCK))

    def login_wait(self, username: str, address: str) -> float:
        return max(self.users.wait("user:" + username), self.logins.wait("addr:" + address))

    def login_failed(self, username: str, address: str) -> None:
        self.users.fail("user:" + username)
        self.logins.fail("addr:" + address)

    def login_succeeded(self, username: str, address: str) -> None:
        self.users.reset("user:" + username)
        self.logins.reset("addr:" + address)
