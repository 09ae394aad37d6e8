"""What every command shares: options from flags, the environment and the project file (in
that order), examples at the end of every --help, and shell completion for bash, zsh and fish."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from schemadocs import snapshot
from schemadocs.cli import cli
from schemadocs.cli_conventions import EXAMPLES
from tests.inprocess import run_cli
from tests.test_cli import clean_env

SCRIPT = Path(sys.executable).with_name("schemadocs")  # the entry point pip installed, as a shell runs it


@pytest.fixture(scope="module")
def demo_snapshot(demo_catalog, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conventions") / "demo.json"
    snapshot.save(demo_catalog, path)
    return path


def export(cwd: Path, *args: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-m", "schemadocs", "export", *args], capture_output=True, text=True,
                          cwd=cwd, env=clean_env(**env), timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_flag_then_environment_then_project_file(demo_snapshot, tmp_path):
    (tmp_path / "schemadocs.yml").write_text("options:\n  export:\n    format: dbml\n", encoding="utf-8")
    snap = {"SCHEMADOCS_SNAPSHOT": str(demo_snapshot)}  # a shared option, by its shared variable
    assert export(tmp_path, **snap).startswith("Project ")  # the file: dbml
    assert export(tmp_path, SCHEMADOCS_EXPORT_FORMAT="plantuml", **snap).startswith("@startuml")  # env over file
    assert export(tmp_path, "--format", "mermaid", SCHEMADOCS_EXPORT_FORMAT="plantuml",
                  **snap).lstrip().startswith("erDiagram")  # the flag over both
    # the command's own variable wins over the shared one
    assert export(tmp_path, SCHEMADOCS_SNAPSHOT=str(tmp_path / "missing.json"),
                  SCHEMADOCS_EXPORT_SNAPSHOT=str(demo_snapshot)).startswith("Project ")


def test_project_file_named_by_flag_or_environment(demo_snapshot, tmp_path):
    other = tmp_path / "other.yml"
    other.write_text(f"options:\n  export:\n    snapshot: {demo_snapshot}\n    format: mermaid\n", encoding="utf-8")
    assert export(tmp_path, SCHEMADOCS_PROJECT=str(other)).lstrip().startswith("erDiagram")


@pytest.mark.parametrize(("text", "needle"), [
    ("options:\n  bild:\n    out: x\n", "line 2: options: unknown command 'bild'"),
    ("options:\n  build:\n    outt: x\n", "line 3: options: build: build has no option --outt"),
    ("options:\n  build:\n    er-depth: 9\n", "line 3: options: build: --er-depth: 9 is not in the range"),
    ("options:\n  build:\n    out: [a, b]\n", "line 3: options: --out takes one value, not a list"),
    ("options: 3\n", "line 1: options must be a mapping"),
])
def test_bad_options_section_is_one_line_with_its_line_number(tmp_path, text, needle):
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    code, stderr = run_cli("build", "--config", str(tmp_path / "p.yml"), "--snapshot", str(tmp_path / "x.json"))
    assert code == 2 and len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith(f"error: {tmp_path / 'p.yml'} ") and needle in stderr, stderr


def test_every_option_names_its_environment_variables():
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_eager:
                long = next(o for o in param.opts if o.startswith("--"))[2:].upper().replace("-", "_")
                assert f"SCHEMADOCS_{name.upper().replace('-', '_')}_{long}" in param.envvar, (name, param.opts)
    assert "SCHEMADOCS_DSN" in next(p for p in cli.commands["build"].params if p.name == "dsn").envvar


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_help_ends_with_real_examples(name):
    command = cli.commands[name]
    text = command.get_help(click.Context(command, info_name=name, parent=click.Context(cli, info_name="schemadocs")))
    examples = text.rstrip().split("Examples:\n")[-1].splitlines()
    assert "Examples:" in text and 2 <= len(examples) <= 3, text
    assert [e.strip() for e in examples] == list(EXAMPLES[name])
    for example in EXAMPLES[name]:
        words = shlex.split(example, comments=True)
        assert words[:2] == ["schemadocs", name]
        command.make_context(name, words[2:])  # every option and argument of the example exists and parses


def completion(shell: str) -> str:
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=60,
                          env=clean_env(_SCHEMADOCS_COMPLETE=f"{shell}_source"))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bash_completion_script_loads_and_completes():
    script = completion("bash")
    done = subprocess.run(["bash", "-c", f'{script}\ncomplete -p schemadocs'], capture_output=True, text=True)
    assert done.returncode == 0 and "_schemadocs_completion" in done.stdout, done.stderr
    words = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=60, env=clean_env(
        _SCHEMADOCS_COMPLETE="bash_complete", COMP_WORDS="schemadocs build --tim", COMP_CWORD="2"))
    assert words.stdout.split() == ["plain,--timings"]
    commands = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=60, env=clean_env(
        _SCHEMADOCS_COMPLETE="bash_complete", COMP_WORDS="schemadocs s", COMP_CWORD="1"))
    assert set(commands.stdout.split()) >= {"plain,snapshot", "plain,serve"}


@pytest.mark.parametrize(("shell", "marker"), [("zsh", "#compdef schemadocs"), ("fish", "complete --no-files --command schemadocs")])
def test_zsh_and_fish_completion_scripts(shell, marker):
    script = completion(shell)
    assert marker in script and "_SCHEMADOCS_COMPLETE" in script
    if shutil.which(shell):  # where the shell is installed, the script must also be valid for it
        done = subprocess.run([shell, "-n"], input=script, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    cword = "--fail" if shell == "fish" else "2"  # fish passes the current word, zsh its index
    words = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=60, env=clean_env(
        _SCHEMADOCS_COMPLETE=f"{shell}_complete", COMP_WORDS="schemadocs lint --fail", COMP_CWORD=cword))
    assert "--fail-on" in words.stdout
