"""audit.merkle against the RFC 6962 / RFC 9162 reference vectors (as published with the
Certificate Transparency implementations, e.g. transparency-dev/merkle proof/verify_test.go)
and against a plain recursive MTH for every tree shape up to 70 leaves."""
import pytest

from oneplan.audit import merkle

LEAF_DATA = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")]
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
LEAVES = [merkle.leaf_hash(d) for d in LEAF_DATA]


def _h(*hexes):
    return [bytes.fromhex(h) for h in hexes]


INCLUSION = [  # (leaf index, tree size, path)
    (0, 8, _h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
    (5, 8, _h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
    (2, 3, _h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (1, 5, _h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
]
CONSISTENCY = [  # (old size, new size, path)
    (1, 8, _h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
    (6, 8, _h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
    (2, 5, _h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
    (6, 7, _h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
]


def _mth(leaves):
    """MTH exactly as RFC 9162 2.1.1 writes it, recursively: the reference the fast code must match."""
    if not leaves:
        return merkle.EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split(len(leaves))
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _subtree(leaves):
    return lambda start, end: _mth(leaves[start:end])


def test_empty_tree_root_is_the_hash_of_nothing():
    assert merkle.Frontier().root().hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_reference_vectors(size):
    assert merkle.root(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_paths_match_the_reference_vectors(index, size, path):
    assert merkle.inclusion_path(index, size, _subtree(LEAVES)) == path
    assert merkle.verify_inclusion(LEAVES[index], index, size, path, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_consistency_paths_match_the_reference_vectors(old, new, path):
    assert merkle.consistency_path(old, new, _subtree(LEAVES)) == path
    assert merkle.verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], path)


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_a_wrong_inclusion_proof_is_refused(index, size, path):
    root, leaf = ROOTS[size - 1], LEAVES[index]
    flipped = [bytes([path[0][0] ^ 8]) + path[0][1:], *path[1:]]
    wrong = [(leaf, index + 1, size, path), (leaf, index, size * 2, path), (leaf, index, size, path[:-1]),
             (leaf, index, size, [*path, root]), (leaf, index, size, [root, *path]),
             (LEAVES[(index + 1) % 8], index, size, path), (leaf, index, size, flipped),
             (leaf, index, size, path[::-1] if len(path) > 1 else [merkle.EMPTY_ROOT])]
    assert not any(merkle.verify_inclusion(*args, root) for args in wrong)


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_a_wrong_consistency_proof_is_refused(old, new, path):
    r1, r2 = ROOTS[old - 1], ROOTS[new - 1]
    flipped = [bytes([path[0][0] ^ 16]) + path[0][1:], *path[1:]]
    wrong = [(old - 1, new, r1, r2, path), (old + 1, new, r1, r2, path), (old, new * 2, r1, r2, path),
             (old, new, r2, r1, path), (old, new, r1, r2, []), (old, new, r1, r2, path[:-1]),
             (old, new, r1, r2, [*path, r2]), (old, new, r1, r2, [r1, *path]), (old, new, r1, r2, flipped)]
    assert not any(merkle.verify_consistency(*args) for args in wrong)


def test_frontier_roots_and_proofs_agree_with_the_recursive_definition_for_every_shape():
    leaves = [merkle.leaf_hash(i.to_bytes(2, "big")) for i in range(70)]
    frontier = merkle.Frontier()
    for size in range(1, len(leaves) + 1):
        frontier.append(leaves[size - 1])
        root = _mth(leaves[:size])
        assert frontier.root() == root
        for index in range(size):
            path = merkle.inclusion_path(index, size, _subtree(leaves))
            assert merkle.verify_inclusion(leaves[index], index, size, path, root)
        for old in range(1, size + 1):
            proof = merkle.consistency_path(old, size, _subtree(leaves))
            assert merkle.verify_consistency(old, size, _mth(leaves[:old]), root, proof)


def test_frontier_reports_each_perfect_subtree_it_completes():
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(8)]
    frontier, done = merkle.Frontier(), []
    for leaf in leaves:
        done += frontier.append(leaf)
    assert [(level, index) for level, index, _ in done] == [(1, 0), (1, 1), (2, 0), (1, 2), (1, 3), (2, 1), (3, 0)]
    assert all(h == _mth(leaves[i << level:(i + 1) << level]) for level, i, h in done)


def test_a_consistency_proof_built_from_the_right_edge_and_new_leaves_is_the_reference_one():
    leaves = [merkle.leaf_hash(i.to_bytes(2, "big")) for i in range(40)]
    for old in range(1, 41):
        edge = merkle.Frontier()
        for leaf in leaves[:old]:
            edge.append(leaf)
        for new in range(old, 41):
            builder = merkle.ConsistencyBuilder(edge, new)
            for index in range(old, new):
                builder.add(index, leaves[index])
            assert builder.path() == merkle.consistency_path(old, new, _subtree(leaves))
