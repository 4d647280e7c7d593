"""A term's whole posting list decoded in one go, and kept for the next reads of the request.

Whoosh reads postings a block of 128 at a time through its matcher: per block a seek, a
pickled header, the data decompressed and unpickled, the document numbers rebuilt by a Python
generator. A search reads the same lists several times (the union of the words, the candidates
of a phrase, their positions; a phrase per field and per language's stems, and an acronym's
expansions share words), so the blocks of a list are parsed here once, in C calls where Whoosh
makes Python ones, into three flat lists, and kept on the searcher for the rest of the request
(`one_request`; the engine holds its lock meanwhile). A server also keeps them from one request
to the next, within a memory budget (`KeptLists`): the words many queries share are then read,
and their positions decoded, once.

The lists hold exactly what Whoosh's matcher gives: the same document numbers, weights and
values (tests/indexer/test_search_union.py and test_postings.py compare them).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from io import BytesIO
from itertools import accumulate
from struct import Struct
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher

_STORE = "_fonds_postings"
_STOP = ord(".")  # the end of a pickle, which Whoosh may have cut off a value
_BATCH_FROM = 8  # fewer documents: one call each costs no more
_INT = Struct("!i")  # Whoosh's block length (negative for the last block)
_POSITIONS_COST = 160  # bytes: a document's entry in the decoded positions, its empty tuple
_POSITION_COST = 36  # bytes: one position (a slot of the tuple, an int object)


class Decoded:
    """A posting list as flat lists: ids ascending, a weight and (if any) a value per id."""

    __slots__ = ("ids", "weights", "values", "_index", "_positions", "_held", "_base")

    def __init__(
        self, ids: list[int], weights: list[float], values: list[Any] | None, read: int = 0
    ) -> None:
        self.ids = ids
        self.weights = weights
        self.values = values
        self._index: dict[int, int] | None = None
        self._positions: dict[int, tuple[int, ...]] = {}
        # estimated bytes: the lists (`read`: the size of their decompressed blocks), then the
        # positions decoded so far
        self._base = 150 + 72 * len(ids) + (read + 41 * len(values) if values else 0)
        self._held = 0

    def footprint(self) -> int:
        """Estimated bytes this list holds in memory: its lists, its index, the positions
        decoded so far (CPython's sizes: an int object beyond 256 costs 28 bytes, a float 24,
        a slot in a list, a tuple or a dict's table 8 to 30)."""
        index = 0 if self._index is None else 100 * len(self._index)
        return self._base + index + self._held

    def positions(self, docnum: int) -> tuple[int, ...]:
        """The word's positions in a document of the list (Whoosh's Positions values: a count,
        then the pickled deltas), decoded once a request (phrases per language and both ways
        round share words). Kept as tuples: a request keeps tens of thousands of them, and
        as lists the garbage collector went through them all again and again (41% of the
        time of checking phrases on the 2,000 fund's candidates)."""
        found = self._positions.get(docnum)
        if found is None:
            value = self.values[self.index()[docnum]]  # type: ignore[index]
            pickled = value[4:] if value.endswith(b".") else value[4:] + b"."
            found = self._positions[docnum] = tuple(accumulate(pickle.loads(pickled)))
            self._held += _POSITIONS_COST + _POSITION_COST * len(found)
        return found

    def positions_for(self, docnums: Collection[int]) -> Callable[[int], tuple[int, ...]]:
        """A getter of the positions of these documents (what positions() gives). Many of them
        are decoded in one pass of C calls (map over the values) and the getter is the kept
        table's own lookup: checking a common phrase at 20,000 documents made 30,000 calls of
        positions(), whose Python overhead (not the unpickling) was most of the query."""
        if len(docnums) < _BATCH_FROM or self.values is None:
            return self.positions
        known = self._positions
        wanted = [d for d in docnums if d not in known]
        if wanted:
            values, index = self.values, self.index()
            pickles = [
                v[4:] if v[-1] == _STOP else v[4:] + b"."
                for v in [values[index[d]] for d in wanted]
            ]
            decoded_lists = list(map(tuple, map(accumulate, map(pickle.loads, pickles))))
            known.update(zip(wanted, decoded_lists, strict=True))
            self._held += _POSITIONS_COST * len(wanted)
            self._held += _POSITION_COST * sum(map(len, decoded_lists))
        return known.__getitem__

    def index(self) -> dict[int, int]:
        """{docnum: its rank in the lists} (built on first use)."""
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._index


Key = tuple[int, int]  # a posting list: (its file's id, its offset in the file)


class KeptLists:
    """Decoded posting lists kept from one request to the next of one searcher, within an
    estimated memory budget: the lists of the words many queries share (« quartiers »,
    « sociale ») are read and their positions decoded once, not at every request. Over budget,
    the lists the fewest requests read go first, then the least recently read. Belongs to
    one searcher (the engine's View): a new searcher, after a write, starts empty."""

    AGE_EVERY = 1000  # requests: then every count is halved (what was read long ago fades)

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.lists: dict[Key, Decoded] = {}
        self.size = 0  # estimated bytes of the kept lists
        self._sizes: dict[Key, int] = {}
        self._reads: dict[Key, int] = {}  # requests that read each list (kept or not)
        self._last: dict[Key, int] = {}  # the last request that read each kept list
        self._requests = 0

    def absorb(self, read: dict[Key, Decoded]) -> None:
        """After a request: keep what it read (with the positions it decoded), then drop
        what the budget cannot hold."""
        self._requests += 1
        for key, found in read.items():
            self._reads[key] = self._reads.get(key, 0) + 1
            size = found.footprint()
            if size > self.budget:  # alone over the budget: it would only push the others out
                if key in self.lists:
                    self._drop(key)
                continue
            self._last[key] = self._requests
            self.size += size - self._sizes.get(key, 0)
            self._sizes[key] = size
            self.lists[key] = found
        if self.size > self.budget:
            for key in sorted(self.lists, key=lambda k: (self._reads[k], self._last[k])):
                if self.size <= self.budget:
                    break
                self._drop(key)
        if self._requests % self.AGE_EVERY == 0:
            self._reads = {k: n // 2 for k, n in self._reads.items() if n > 1 or k in self.lists}

    def _drop(self, key: Key) -> None:
        del self.lists[key], self._last[key]
        self.size -= self._sizes.pop(key)


@contextmanager
def one_request(searcher: Any, kept: KeptLists | None = None) -> Iterator[None]:
    """Keep the lists decoded while the block runs (one request's reads), then forget them,
    or hand them to `kept` for the next requests. Outside such a block nothing is kept."""
    read: dict[Key, Decoded] = {}
    searcher.__dict__[_STORE] = (read, kept.lists if kept is not None else {})
    try:
        yield
    finally:
        searcher.__dict__.pop(_STORE, None)
        if kept is not None:
            kept.absorb(read)


def decoded(searcher: Any, leaf: Any) -> Decoded | None:
    """The whole posting list of a plain leaf matcher standing on its first posting (None for
    any other matcher: inlined lists, deletions filtered, a leaf already moved)."""
    if (
        type(leaf) is not W3LeafMatcher
        or leaf._byteids
        or leaf._i != 0
        or leaf._atend
        or leaf._data is not None
    ):
        return None
    postfile = leaf._postfile
    (size,) = _INT.unpack(postfile.get(leaf._baseoffset, 4))
    if leaf._nextoffset != leaf._baseoffset + 4 + abs(size):  # not on the first block
        return None
    length = leaf._length
    if isinstance(length, tuple):  # Whoosh's term info keeps the unpacked tuple
        (length,) = length
    parent = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
    store = parent.__dict__.get(_STORE)  # a segment's searcher reads into its parent's store
    if store is None:
        return _read(postfile, leaf._startoffset, length, leaf._fixedsize)
    read, kept = store
    key = (id(postfile), leaf._startoffset)
    found = read.get(key) or kept.get(key)
    if found is None:
        found = _read(postfile, leaf._startoffset, length, leaf._fixedsize)
    read[key] = found
    return found


def _read(postfile: Any, start: int, length: int, fixedsize: int | None) -> Decoded:
    raw = postfile.get(start, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a Whoosh 3 posting list")
    stream = BytesIO(raw)
    load = pickle.Unpickler  # reads exactly one pickle from the stream, as Whoosh's header read
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] | None = [] if fixedsize is None or fixedsize < 0 else None
    position = 4
    read = 0  # bytes of the blocks, decompressed
    while True:
        (size,) = _INT.unpack_from(raw, position)
        last = size < 0
        end = position + 4 + abs(size)
        stream.seek(position + 4)
        count, _, _, compression, _, _ = load(stream).load()
        data = raw[stream.tell() : end]
        if compression:
            data = zlib.decompress(data)
        read += len(data)
        block_ids, block_weights, block_values = pickle.loads(data)
        ids.extend(accumulate(block_ids))
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            # Whoosh keeps a block's one weight in a float32 array: the same value read back
            weights.extend(array("f", [block_weights]) * count)
        else:
            weights.extend(block_weights)
        if values is not None:
            values.extend(block_values)
        if last:
            break
        position = end
    if values is not None and len(values) != len(ids):  # empty values are not stored
        values = None
    return Decoded(ids, weights, values, read)
