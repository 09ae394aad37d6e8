"""The project file's `databases:` section: every mistake is one line naming the file and line
and saying what to do; a DSN's password never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs.errors import ConfigError
from schemadocs.project import databases
from schemadocs.project.file import load
from tests.inprocess import assert_success_or_clean_error, run_cli


def read(tmp_path: Path, text: str) -> tuple[databases.Database, ...]:
    path = tmp_path / "schemadocs.yml"
    path.write_text(text, encoding="utf-8")
    return databases.load(load(path))


def test_entries_read_in_order_with_the_snapshot_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "dbs.yml").write_text("databases:\n  - name: b\n    snapshot: snaps/b.json\n"
                                               "  - name: a\n    dsn_env: A_DSN\n    description: The A one.\n",
                                               encoding="utf-8")
    found = read(tmp_path, "include: [conf/dbs.yml]\n")
    assert [d.name for d in found] == ["b", "a"]
    assert found[0].snapshot == tmp_path / "conf" / "snaps" / "b.json"
    assert found[1].dsn_env == "A_DSN" and found[1].description == "The A one."
    assert read(tmp_path, "checks: {}\n") == ()


@pytest.mark.parametrize("text, line, expected", [
    ("databases:\n  - name: a\n    dsn: x=1\n  - name: a\n    snapshot: a.json\n", 4, "given twice"),
    ("databases:\n  - name: a\n    dsn: x=1\n    snapshot: a.json\n", 2, "has 2 sources (dsn, snapshot)"),
    ("databases:\n  - name: a\n", 2, "has no source"),
    ("databases:\n  - name: Billing DB\n    dsn: x=1\n", 2, "must be a lowercase slug"),
    ("databases:\n  - name: assets\n    dsn: x=1\n", 2, "reserved"),
    ("databases:\n  - dsn: x=1\n", 2, "needs a name"),
    ("databases:\n  - name: a\n    dsn: x=1\n    colour: red\n", 4, "unknown key 'colour'"),
    ("databases:\n  - name: a\n    dsn_env: postgresql://u:pw@h/d\n", 3, "must name an environment variable"),
    ("databases:\n  - name: a\n    dsn: ''\n", 3, "is empty"),
    ("databases: {a: 1}\n", 1, "must be a list"),
    ("databases: []\n", 1, "is empty"),
])
def test_mistakes_name_the_file_and_line(tmp_path: Path, text: str, line: int, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'schemadocs.yml'} line {line}: "), message
    assert expected in message and "\n" not in message
    assert "pw@" not in message


def test_an_unset_variable_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SD_NOT_SET_DSN", raising=False)
    (tmp_path / "schemadocs.yml").write_text("databases:\n  - name: a\n    dsn_env: SD_NOT_SET_DSN\n"
                                             "  - name: b\n    dsn: x=1\n", encoding="utf-8")
    code, err = run_cli("lint", "--config", str(tmp_path / "schemadocs.yml"))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "line 2" in err and "SD_NOT_SET_DSN, which is not set" in err


def test_a_password_never_shows(tmp_path: Path) -> None:
    (tmp_path / "schemadocs.yml").write_text(
        "databases:\n  - name: a\n    dsn: postgresql://someone:s3cr3t-pw@127.0.0.1:1/nowhere?connect_timeout=2\n"
        "  - name: b\n    dsn: x=1\n", encoding="utf-8")
    for args in (("lint",), ("lineage", "--database", "a", "s.t"), ("snapshot", "--database", "a"),
                 ("build", "--out", str(tmp_path / "site"))):
        code, err = run_cli(*args, "--config", str(tmp_path / "schemadocs.yml"))
        assert_success_or_clean_error(code, err)
        assert code == 2 and "s3cr3t-pw" not in err, err


def test_database_with_an_explicit_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "schemadocs.yml").write_text("databases:\n  - name: a\n    dsn: x=1\n", encoding="utf-8")
    code, err = run_cli("lint", "--config", str(tmp_path / "schemadocs.yml"), "--database", "a",
                        "--snapshot", str(tmp_path / "x.json"))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "not both" in err


def test_the_json_schema_describes_the_section_for_editors() -> None:
    import jsonschema

    from schemadocs.project.file import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    good = {"databases": [{"name": "billing", "dsn_env": "BILLING_DSN", "description": "Invoices."},
                          {"name": "stock", "snapshot": "snaps/stock.json"}]}
    assert list(validator.iter_errors(good)) == []
    for bad in ({"name": "billing"}, {"name": "billing", "dsn": "x=1", "snapshot": "a.json"},
                {"name": "Billing", "dsn": "x=1"}, {"name": "b", "dsn": "x=1", "colour": "red"}):
        assert list(validator.iter_errors({"databases": [bad]})), bad
