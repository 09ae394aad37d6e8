"""A property-based fuzzer over snapshot loading, `diff` and `build --snapshot`.

Real snapshots (the demo database's, and the corpus' small valid one) are mutated: keys
dropped, values replaced by JSON of another type, list entries duplicated, the text cut
short or overwritten with random bytes. Every input must end in success or in one
`error: ...` line with exit 2, never a traceback (run in-process through `main()`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from schemadocs import snapshot
from schemadocs.errors import SnapshotError
from tests.inprocess import assert_success_or_clean_error, run_cli
from tests.build.test_incremental import _project

CORPUS = Path(__file__).parent / "corrupt"
SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

HOSTILE = ["<script>alert(1)</script>", "</textarea><b>x", '"; DROP TABLE t; --', "{{ 7*7 }}", "{% raw %}",
           "[x](javascript:alert(1))", "../../etc/passwd", "a|b\n|c", "*_`#", "\u202eevil", "\x00", "", " ",
           "é" * 300, "app.orders", '"Mixed Case"."T"']
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


class Base(bytes):
    """Snapshot JSON to mutate; short in hypothesis' reports."""

    def __repr__(self) -> str:
        return f"<snapshot, {len(self)} bytes>"


@st.composite
def mutations(draw: st.DrawFn, base: Base) -> bytes:
    """`base` (snapshot JSON) with one random mutation."""
    kind = draw(st.sampled_from(["drop", "retype", "duplicate", "truncate", "bytes"] + ["text"] * 5))
    if kind == "truncate":
        return base[: draw(st.integers(0, len(base) - 1))]
    if kind == "bytes":
        at = draw(st.integers(0, len(base) - 1))
        junk = draw(st.binary(min_size=1, max_size=16))
        return base[:at] + junk + base[at + len(junk):]
    data = json.loads(base)
    if kind == "text":  # a name, comment, type or definition becomes hostile text: must build, or fail cleanly
        container, key = draw(st.sampled_from(_strings(data)))
        container[key] = draw(st.sampled_from(HOSTILE) | st.text(max_size=30))
        return json.dumps(data).encode()
    container, key = draw(_somewhere(data))
    if kind == "drop":
        del container[key]
    elif kind == "retype":
        container[key] = draw(json_values)
    elif isinstance(container[key], list) and container[key]:
        items = container[key]
        items.insert(draw(st.integers(0, len(items))), items[draw(st.integers(0, len(items) - 1))])
    else:
        container[key] = [container[key], container[key]]
    return json.dumps(data).encode()  # not orjson: a mutation may hold integers past 64 bits


def _strings(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in `data` that holds a string."""
    found, todo = [], [data]
    while todo:
        node = todo.pop()
        for key in (sorted(node) if isinstance(node, dict) else range(len(node))):
            if isinstance(node[key], str):
                found.append((node, key))
            elif isinstance(node[key], (dict, list)):
                todo.append(node[key])
    return found


@st.composite
def _somewhere(draw: st.DrawFn, data: dict[str, Any]) -> tuple[Any, Any]:
    """A random (container, key) inside `data`, reached by walking down from the top and
    stopping at each level with a chance of one in four."""
    container: Any = data
    key: Any = draw(st.sampled_from(sorted(data)))
    while True:
        child = container[key]
        keys = sorted(child) if isinstance(child, dict) else range(len(child)) if isinstance(child, list) else []
        if not keys or draw(st.integers(0, 3)) == 0:
            return container, key
        container, key = child, draw(st.sampled_from(list(keys)))


@pytest.fixture(scope="module")
def demo_snapshot(demo_catalog) -> Base:
    return Base(snapshot.dump_bytes(demo_catalog))


@settings(max_examples=150, **SETTINGS)
@given(data=st.data())
def test_fuzz_load_and_diff(demo_snapshot, tmp_path, data):
    base, mutated = tmp_path / "base.json", tmp_path / "mutated.json"
    base.write_bytes(demo_snapshot)
    mutated.write_bytes(data.draw(mutations(demo_snapshot)))
    try:
        snapshot.load(mutated)
    except SnapshotError as exc:
        assert "\n" not in str(exc)
    code, err = run_cli("diff", str(base), str(mutated))
    event(f"diff exit {code}")
    assert_success_or_clean_error(code, err)
    assert_success_or_clean_error(*run_cli("diff", str(mutated), str(base), "--format", "markdown"))


@settings(max_examples=25, **SETTINGS)
@given(data=st.data())
def test_fuzz_build(tmp_path, data):
    config = _project(tmp_path)
    mutated = tmp_path / "mutated.json"
    mutated.write_bytes(data.draw(mutations(Base((CORPUS / "valid.json").read_bytes()))))
    code, err = run_cli("build", "--snapshot", str(mutated), "--mkdocs-config", str(config), "--out", str(tmp_path / "site"))
    event(f"build exit {code}")
    assert_success_or_clean_error(code, err)
