"""The checks: section of schemadocs.yml: read into Settings, every mistake an error naming its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs.checks.config import from_project
from schemadocs.checks.engine import lint
from schemadocs.checks.finding import Level
from schemadocs.errors import ConfigError
from schemadocs.project.file import load
from tests.checks.lint_helpers import catalog, extra_rule


def settings_from(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "schemadocs.yml"
    path.write_text(text, encoding="utf-8")
    return from_project(load(path))


def test_levels_thresholds_excludes_and_skips_apply(tmp_path: Path) -> None:
    with extra_rule("test-thresholds", Level.INFO, thresholds={"days": 30.0}):
        settings = settings_from(tmp_path, """
checks:
  skip: [test-thresholds]
  rules:
    no-primary-key:
      level: error
      exclude: ["s.audit_*"]
    test-thresholds:
      thresholds: {days: 7}
""")
        assert settings.skip == ("test-thresholds",)
        assert settings.thresholds == {"test-thresholds": {"days": 7}}
        report = lint(catalog("audit_log", "events"), settings)
    mine = [(f.rule, f.object, f.level) for f in report.findings if f.rule in ("no-primary-key", "test-thresholds")]
    assert mine == [("no-primary-key", "s.events", Level.ERROR)]


def test_no_file_and_no_section_mean_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load(None).sections == {}
    assert settings_from(tmp_path, "checks:\n").skip == ()


@pytest.mark.parametrize("text, message", [
    ("checks:\n  skp: [x]\n", "line 2: unknown key 'skp' in checks (known: skip, rules)"),
    ("checks:\n  skip: [no-primary-key, nope]\n", "line 2: unknown rule id 'nope'"),
    ("checks:\n  rules:\n    no-primary-key: {}\n    nope-rule:\n      level: info\n", "line 4: unknown rule id 'nope-rule'"),
    ("checks:\n  rules:\n    no-primary-key:\n      level: fatal\n", "line 4: level 'fatal' is not one of error, warning, info"),
    ("checks:\n  rules:\n    no-primary-key:\n      thresholds:\n        days: 3\n",
     "line 5: rule no-primary-key has no threshold 'days' (it has: none)"),
    ("checks:\n  rules:\n    no-primary-key:\n      exclude: s.t\n", "line 4: checks.rules.no-primary-key.exclude must be a list"),
    ("checks:\n  rules:\n    no-primary-key:\n      exclude: [1]\n", "line 4: each item of checks.rules.no-primary-key.exclude must be text, not int 1"),
    ("checks:\n  rules:\n    no-primary-key:\n      levle: error\n", "line 4: unknown key 'levle' in checks.rules.no-primary-key"),
    ("checks:\n  skip: []\n  skip: []\n", "line 3: 'skip' is given twice in checks"),
    ("checks: [a]\n", "line 1: checks must be a mapping"),
    ("chekcs:\n  skip: []\n", "line 1: unknown section 'chekcs' (known: include, databases, checks, families, schemas, labels, viewpoints, relations, options)"),
    ("checks:\n  skip: [a\n", "line 3: not valid YAML"),
])
def test_mistakes_name_their_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from(tmp_path, text)
    assert str(info.value).startswith(f"{tmp_path / 'schemadocs.yml'} {message}")


def test_a_threshold_must_be_a_number(tmp_path: Path) -> None:
    with extra_rule("test-thresholds", Level.INFO, thresholds={"days": 30.0}):
        with pytest.raises(ConfigError, match=r"line 5: checks.rules.test-thresholds.thresholds.days must be a number, not str 'soon'"):
            settings_from(tmp_path, "checks:\n  rules:\n    test-thresholds:\n      thresholds:\n        days: soon\n")


def test_a_missing_config_file_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.yml")


def test_an_exclude_must_name_something_in_the_catalog(tmp_path: Path) -> None:
    """A typo in an exclude is an error; a glob matching a finding, or any object (a column, a
    table that has a key today), is fine."""
    cat = catalog("events", "keyed", keyed=("keyed",))
    for glob in ("s.ev*", "s.keyed", "s.keyed.id", "s.keyed.keyed_pkey", "s"):
        settings = settings_from(tmp_path, f"checks:\n  rules:\n    no-primary-key:\n      exclude: ['{glob}']\n")
        lint(cat, settings)
    settings = settings_from(tmp_path, "checks:\n  rules:\n    no-primary-key:\n      exclude: ['s.evnets']\n")
    with pytest.raises(ConfigError, match=r"the exclude 's.evnets' of rule no-primary-key matches no object"):
        lint(cat, settings)
