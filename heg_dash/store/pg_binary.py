"""Arrow rows as PostgreSQL's binary COPY format, written with numpy.

COPY FROM STDIN in the binary format skips the server's text parsing (a timestamp is 8 bytes, not a string to
read), and writing it column by column with numpy costs a fraction of writing CSV text: the difference is most of
an import's load time. The format (PostgreSQL manual, COPY, "Binary Format"): a header, then per row a 16-bit
field count and per field a 32-bit length (-1 for NULL) and the value in the type's send format, big-endian; a
trailer of -1.

Supported: text (string), BIGINT (any integer), DOUBLE PRECISION (any float), BOOLEAN, DATE, TIMESTAMP and
TIMESTAMPTZ (any unit), and all-NULL columns. The target columns must be of those types.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
TRAILER = b"\xff\xff"
PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in µs since 1970-01-01
PG_EPOCH_DAYS = 10_957
CHUNK_ROWS = 100_000  # rows encoded at once: the index arrays stay a few tens of MB


def encode(rows: pa.Table) -> bytes:
    """``rows`` as one binary COPY stream (header, rows, trailer)."""
    parts = [HEADER]
    for first in range(0, rows.num_rows, CHUNK_ROWS):
        parts.append(_rows(rows.slice(first, CHUNK_ROWS)))
    parts.append(TRAILER)
    return b"".join(parts)


def _field(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(length per row, -1 for NULL; the payload bytes; where each row's payload starts in them)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    n = len(array)
    kind = array.type
    if pa.types.is_dictionary(kind):
        array, kind = array.cast(kind.value_type), kind.value_type
    if pa.types.is_null(kind):
        return np.full(n, -1, np.int32), np.zeros(0, np.uint8), np.zeros(n, np.int64)
    valid = np.ones(n, bool) if array.null_count == 0 else array.is_valid().to_numpy(zero_copy_only=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        array = array.cast(pa.large_string())
        offsets = np.frombuffer(array.buffers()[1], np.int64)[array.offset:array.offset + n + 1]
        data = np.frombuffer(array.buffers()[2], np.uint8) if array.buffers()[2] is not None else np.zeros(0, np.uint8)
        lengths = np.diff(offsets).astype(np.int32)
        return np.where(valid, lengths, -1).astype(np.int32), data, offsets[:-1].astype(np.int64)
    if pa.types.is_boolean(kind):
        values, width = array.fill_null(False).to_numpy(zero_copy_only=False).astype(np.uint8), 1
    elif pa.types.is_integer(kind):
        values, width = array.fill_null(0).cast(pa.int64()).to_numpy().astype(">i8"), 8
    elif pa.types.is_floating(kind):
        values, width = array.fill_null(0).cast(pa.float64()).to_numpy().astype(">f8"), 8
    elif pa.types.is_date(kind):
        days = array.cast(pa.date32()).cast(pa.int32()).fill_null(0).to_numpy()
        values, width = (days - PG_EPOCH_DAYS).astype(">i4"), 4
    elif pa.types.is_timestamp(kind):
        # nanoseconds cut to µs, as a cast in SQL does
        us = pc.cast(array.cast(pa.timestamp("us", kind.tz), safe=False), pa.int64()).fill_null(0).to_numpy()
        values, width = (us - PG_EPOCH_US).astype(">i8"), 8
    else:
        raise TypeError(f"no binary COPY for Arrow type {kind}")
    lengths = np.where(valid, width, -1).astype(np.int32)
    return lengths, np.ascontiguousarray(values).view(np.uint8), np.arange(n, dtype=np.int64) * width


def _rows(rows: pa.Table) -> bytes:
    n = rows.num_rows
    if not n:
        return b""
    fields = [_field(column) for column in rows.columns]
    sizes = [np.maximum(lengths, 0).astype(np.int64) for lengths, _, _ in fields]
    row_size = 2 + 4 * len(fields) + np.sum(sizes, axis=0)
    start = np.zeros(n, np.int64)
    np.cumsum(row_size[:-1], out=start[1:])
    out = np.empty(int(start[-1] + row_size[-1]), np.uint8)
    _put(out, start, np.full(n, len(fields), ">i2").view(np.uint8).reshape(n, 2))
    at = start + 2
    for (lengths, data, source), size in zip(fields, sizes, strict=True):
        _put(out, at, lengths.astype(">i4").view(np.uint8).reshape(n, 4))
        at = at + 4
        total = int(size.sum())
        if total:
            width = int(size.max())
            if int(size.min()) == width and np.array_equal(source, np.arange(n, dtype=np.int64) * width):
                _put(out, at, data[:n * width].reshape(n, width))  # fixed width, no NULL: rows at once
            else:
                within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(size) - size, size)
                out[np.repeat(at, size) + within] = data[np.repeat(source, size) + within]
        at = at + size
    return out.tobytes()


def _put(out: np.ndarray, at: np.ndarray, values: np.ndarray) -> None:
    """Write row i's bytes ``values[i]`` at ``out[at[i]:]``."""
    out[at[:, None] + np.arange(values.shape[1])] = values
