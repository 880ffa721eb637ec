"""Query results cached by arguments and data version, so a page rerun rarely touches the file and
never shows stale data after an import (the version changes with every write).

The version itself is read again only when the database file or its write-ahead log changed (their
modification time and size; a read leaves both alone, every committed write changes one of them), so a
rerun without a write in between never opens the file.

Caching needs a Streamlit runtime; without one (the CLI, plain tests) functions simply run, and the
Streamlit caches are created lazily so importing this module outside the app stays quiet.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit import runtime

from heg_dash.store import db

T = TypeVar("T")

MAX_ENTRIES = 256


def file_signature(path: str) -> tuple[tuple[int, int] | None, ...]:
    """(modification time in ns, size) of the database file and of its write-ahead log (None: no such file)."""
    signature = []
    for name in (path, path + ".wal"):
        try:
            stat = os.stat(name)
        except FileNotFoundError:
            signature.append(None)
        else:
            signature.append((stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


@functools.cache
def _version_cache() -> Callable[[str, tuple], str]:
    def version(path: str, signature: tuple) -> str:  # the signature is the cache key's part that changes
        return db.data_version(path)

    # The TTL only bounds how long a version is trusted if a write ever left the signature as it was.
    return st.cache_data(ttl=60, show_spinner=False, max_entries=16)(version)


def current_version() -> tuple[str, str]:
    """(database path, data version) — the part of every cache key that follows the stored data."""
    path = str(db.db_path())
    return path, _version_cache()(path, file_signature(path))


def cached(func: Callable[..., T]) -> Callable[..., T]:
    """Cache ``func``'s result by its arguments, the database path and the data version.

    Arguments must be hashable by Streamlit (primitives, tuples, frozen dataclasses).
    """

    @functools.cache
    def cached_run() -> Callable[..., T]:
        def run(path: str, version: str, *args, **kwargs):
            return func(*args, **kwargs)

        # Streamlit keys a cache by the function's module and qualified name: give each its own.
        run.__module__ = func.__module__
        run.__qualname__ = f"{func.__qualname__}__cached"
        return st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)(run)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not runtime.exists():
            return func(*args, **kwargs)
        path, version = current_version()
        return cached_run()(path, version, *args, **kwargs)

    wrapper.uncached = func  # type: ignore[attr-defined]
    return wrapper


def clear() -> None:
    st.cache_data.clear()
