"""Merkle trees as RFC 9162 (Certificate Transparency 2.0, section 2.1) defines them, with SHA-256.

Leaves are hashed as SHA-256(0x00 || data), inner nodes as SHA-256(0x01 || left || right), and a
tree of n leaves splits at the largest power of two below n, so any other RFC 9162 (or RFC 6962)
implementation computes the same roots and checks the same proofs. `Frontier` keeps only the
right edge of a tree (one hash per set bit of its size): appending a leaf and the root cost
O(log n), whatever the size of the log. Proofs are made from a `subtree(start, end)` function
returning the hash of leaves [start, end), so the caller decides where those hashes come from.
No Django here: `oneplan audit check-proof` and the tests use it as it is.
"""
import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2): where a tree of n leaves splits."""
    return 1 << ((n - 1).bit_length() - 1)


class Frontier:
    """The roots of the perfect subtrees a tree of `size` leaves is made of, largest (leftmost)
    first: one for each set bit of `size`."""

    def __init__(self, size: int = 0, nodes: Sequence[bytes] = ()):
        if len(nodes) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} edge nodes, not {len(nodes)}")
        self.size, self.nodes = size, list(nodes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; returns the perfect subtrees it completed as (level, index, hash):
        the subtree at `level` with `index` covers leaves [index * 2**level, (index + 1) * 2**level)."""
        node, level, bits, done = leaf, 0, self.size, []
        while bits & 1:
            node = node_hash(self.nodes.pop(), node)
            level, bits = level + 1, bits >> 1
            done.append((level, ((self.size + 1) >> level) - 1, node))
        self.nodes.append(node)
        self.size += 1
        return done

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        result = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            result = node_hash(node, result)
        return result

    def copy(self) -> "Frontier":
        return Frontier(self.size, self.nodes)

    def to_hex(self) -> list[str]:
        return [n.hex() for n in self.nodes]

    @classmethod
    def from_hex(cls, size: int, nodes: Sequence[str]) -> "Frontier":
        return cls(size, [bytes.fromhex(n) for n in nodes])


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of a list of leaf hashes."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


Subtree = Callable[[int, int], bytes]


def inclusion_path(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1: the audit path of leaf `index` in the tree of `size`."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path, lo, hi = [], 0, size
    while hi - lo > 1:
        k = split(hi - lo)
        if index < lo + k:
            path.append(subtree(lo + k, hi))
            hi = lo + k
        else:
            path.append(subtree(lo, lo + k))
            lo += k
    return path[::-1]


def consistency_path(old_size: int, new_size: int, subtree: Subtree) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1: proves the tree of `new_size` extends the one of `old_size`."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    path, lo, hi, m, whole = [], 0, new_size, old_size, True
    while m != hi - lo:
        k = split(hi - lo)
        if m <= k:
            path.append(subtree(lo + k, hi))
            hi = lo + k
        else:
            path.append(subtree(lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        path.append(subtree(lo, hi))
    return path[::-1]


def edge_ranges(size: int) -> list[tuple[int, int]]:
    """The leaf ranges [start, end) of the perfect subtrees a `Frontier` of `size` holds."""
    ranges, start = [], 0
    for bit in reversed(range(size.bit_length())):
        if size >> bit & 1:
            ranges.append((start, start + (1 << bit)))
            start += 1 << bit
    return ranges


class ConsistencyBuilder:
    """PROOF(old, new) made from the old tree's right edge and the leaves after it, fed one at a
    time: a checkpoint proves it extends the one before without reading the log before it.

    The proof's hashes are perfect subtrees of the old tree (all on its right edge) and subtrees
    that together cover exactly the new leaves, each built up as its leaves come in."""

    def __init__(self, old: Frontier, new_size: int):
        self.ranges = consistency_path(old.size, new_size, lambda start, end: (start, end))
        edge = dict(zip(edge_ranges(old.size), old.nodes))
        self.known = {r: edge[r] for r in self.ranges if r[0] < old.size}
        self.open = sorted(r for r in self.ranges if r[0] >= old.size)
        self.starts = [start for start, _ in self.open]
        self.parts = {r: Frontier() for r in self.open}

    def add(self, index: int, leaf: bytes) -> None:
        """Leaf `index` (from old.size on, in order)."""
        self.parts[self.open[bisect_right(self.starts, index) - 1]].append(leaf)

    def path(self) -> list[bytes]:
        return [self.known[r] if r in self.known else self.parts[r].root() for r in self.ranges]


def _shift_while_even(fn: int, sn: int) -> tuple[int, int]:
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root_hash: bytes) -> bool:
    """RFC 9162 2.1.3.2: is `leaf` the leaf at `index` of the tree of `size` with `root_hash`?"""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in path):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                fn, sn = _shift_while_even(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       path: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: is the tree of `new_size` with `new_root` an extension of the tree of
    `old_size` with `old_root`?"""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in path):
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if old_size == 0:
        return not path
    if not path:
        return False
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path = [old_root, *path]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                fn, sn = _shift_while_even(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
