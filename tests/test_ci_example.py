"""The example GitHub Actions workflow (examples/github-actions/): valid workflow YAML with the
documented structure, and its shell steps run here, as CI runs them, against a real database:
a git repository whose main branch holds the demo schema as a migration and whose pull
request adds one more.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from schemadocs import snapshot
from schemadocs.checks.output.markdown import MARKER as LINT_MARKER
from schemadocs.diff.markdown import MARKER
from schemadocs.embedded import demo_sql

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "github-actions"
WORKFLOW = EXAMPLE / "schemadocs.yml"
SCRIPTS = ("migrate.sh", "plan.sh", "schema-diff.sh", "lint.sh", "comment.sh", "gate.sh", "plan-gate.sh", "lint-gate.sh",
           "publish.sh")
BREAKING_MIGRATION = """
ALTER TABLE app.page_views DROP COLUMN user_id CASCADE;
ALTER TABLE app.users RENAME COLUMN full_name TO display_name;
ALTER TABLE app.orders ADD COLUMN notes text;
"""
SAFE_MIGRATION = "ALTER TABLE app.orders ADD COLUMN notes text;\n"


# ---------------------------------------------------------------------------------- the YAML

@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 (PyYAML) reads the key `on` as True; GitHub reads it as "on"
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_workflow_structure(workflow):
    assert set(workflow) >= {"name", "on", "jobs"}
    assert set(workflow["on"]["pull_request"]["types"]) >= {"opened", "synchronize", "labeled", "unlabeled"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert set(jobs) == {"schema-diff", "publish"}
    for job in jobs.values():
        assert job["runs-on"] == "ubuntu-latest"
        assert job["services"]["postgres"]["image"].startswith("postgres:")
        assert job["steps"] and all(("uses" in s) != ("run" in s) for s in job["steps"])
        assert job["steps"][0]["uses"].startswith("actions/checkout@")
    assert jobs["schema-diff"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["schema-diff"]["permissions"]["pull-requests"] == "write"
    assert jobs["schema-diff"]["steps"][0]["with"]["fetch-depth"] == 0
    assert "refs/heads/main" in jobs["publish"]["if"]
    assert jobs["publish"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = jobs["publish"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    build = next(i for i, s in enumerate(steps) if "publish.sh" in s.get("run", ""))
    assert uses.index("actions/configure-pages") < build < uses.index("actions/upload-pages-artifact") \
        < uses.index("actions/deploy-pages") == len(steps) - 1
    assert steps[build]["env"]["PREVIOUS_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert steps[uses.index("actions/configure-pages")]["id"] == "pages"


def test_workflow_steps_call_the_tested_scripts(workflow):
    steps = {s.get("name", s.get("uses")): s for s in workflow["jobs"]["schema-diff"]["steps"]}
    gate = steps["Fail on breaking changes"]
    gates = [gate, steps["Fail on a risky migration"], steps["Fail on new health-check findings"]]
    assert gates == workflow["jobs"]["schema-diff"]["steps"][-3:]
    assert workflow["env"]["LINT_BASELINE"] and workflow["env"]["LINT_FAIL_ON"] == "error"
    assert steps["Health checks"]["run"] == '"$SCRIPTS/lint.sh" schema-diff "$LINT_BASELINE"'
    assert "schema-diff/lint.md" in steps["Comment on the pull request"]["run"]
    assert "schema-diff/lint.md" in steps["Job summary"]["run"]
    assert gate["env"]["ALLOW_BREAKING"] == "${{ contains(github.event.pull_request.labels.*.name, env.OPT_OUT_LABEL) }}"
    assert workflow["env"]["OPT_OUT_LABEL"] == "schema-breaking-ok"
    called = set()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            called |= set(re.findall(r'\$SCRIPTS/([\w-]+\.sh)', step.get("run", "")))
    assert called == set(SCRIPTS)
    for script in SCRIPTS:
        path = EXAMPLE / script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        assert path.read_text().startswith("#!/usr/bin/env bash\n")
        assert subprocess.run(["bash", "-n", str(path)], check=False).returncode == 0


def test_the_migration_plan_runs_before_the_migrations_are_applied(workflow):
    pr = [s.get("name", s.get("uses")) for s in workflow["jobs"]["schema-diff"]["steps"]]
    steps = {s.get("name", s.get("uses")): s for s in workflow["jobs"]["schema-diff"]["steps"]}
    plan = "Plan the migrations (before they are applied)"
    assert pr.index(plan) < pr.index("Diff the schema against the base branch")
    assert steps[plan]["run"] == '"$SCRIPTS/plan.sh" "origin/$GITHUB_BASE_REF" "$MIGRATIONS" schema-diff'
    assert workflow["env"]["PLAN_FAIL_ON"] == "high" and workflow["env"]["PLAN_OPT_OUT_LABEL"] == "migration-risk-ok"
    risky = steps["Fail on a risky migration"]
    assert risky["env"]["ALLOW_RISKY"] == \
        "${{ contains(github.event.pull_request.labels.*.name, env.PLAN_OPT_OUT_LABEL) }}"
    assert risky["run"] == '"$SCRIPTS/plan-gate.sh" schema-diff'
    publish = workflow["jobs"]["publish"]["steps"]
    names = [s.get("name", s.get("uses")) for s in publish]
    planned = names.index("Plan the pushed migrations (before they are applied)")
    assert planned < names.index("Apply the migrations")
    assert publish[planned]["env"]["BEFORE"] == "${{ github.event.before }}"
    assert publish[planned]["run"] == '"$SCRIPTS/plan.sh" "$BEFORE" "$MIGRATIONS" plan'
    assert publish[0]["with"]["fetch-depth"] == 0, "the commit before the push is read from git history"
    build = next(s for s in publish if "publish.sh" in s.get("run", ""))
    assert build["env"]["PLAN_FILE"] == "plan/plan.json"


def schemadocs_lines(script: str, command: str) -> list[list[str]]:
    """The `schemadocs COMMAND ...` invocations of a script, as argv after COMMAND: shell words,
    with the script's variables given example values and redirections left out."""
    values = {'"${new[@]}"': "migrations/0002_change.sql", '"${PLAN_FAIL_ON:-high}"': "high",
              '"${skip[@]}"': "--exclude schemadocs_ci", '"${previous[@]}"': "--previous prev/catalog.json",
              '"${plan[@]}"': "--plan plan/plan.json", '"$site"': "site"}
    found = []
    for line in (EXAMPLE / script).read_text().splitlines():
        words = line.strip()
        if not words.startswith(f"schemadocs {command} "):
            continue
        for variable, value in values.items():
            words = words.replace(variable, value)
        words = re.split(r"\s(?:>|\|\|)\s", words)[0]
        assert "$" not in words, f"give {words!r} example values"
        found.append(shlex.split(words)[2:])
    return found


def test_the_scripts_call_plan_and_build_as_the_cli_defines_them():
    from schemadocs.cli import cli
    from schemadocs.plan.render import FORMATS

    plans = schemadocs_lines("plan.sh", "plan")
    assert len(plans) == 2
    for argv in plans:
        options = dict(zip(argv[1::2], argv[2::2]))
        assert argv[0].endswith(".sql") and set(options) == {"--format", "--fail-on"}
        assert options["--format"] in FORMATS and options["--fail-on"] in {"high", "medium", "never"}
    assert {dict(zip(a[1::2], a[2::2]))["--format"] for a in plans} == {"json", "markdown"}
    if "plan" in cli.commands:  # the command itself (issue 19's engine): click parses the lines
        for argv in plans:
            cli.commands["plan"].make_context("plan", list(argv))
    (build,) = schemadocs_lines("publish.sh", "build")
    context = cli.commands["build"].make_context("build", build)
    assert context.params["plan_file"] == Path("plan/plan.json")
    assert context.params["previous"] == Path("prev/catalog.json")


# ---------------------------------------------------------------------------------- the scripts

def env_for(dsn: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), str(Path(shutil.which("psql") or "/usr/bin/psql").parent),
                                   env.get("PATH", "")])
    env.update(DATABASE_URL=dsn, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com", **extra)
    return env


def sh(script: str, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXAMPLE / script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env=env_for("", GIT_CONFIG_GLOBAL="/dev/null"))


def make_repo(tmp: Path, pr_migration: str) -> Path:
    """A repository: main holds migrations/0001_demo.sql; the checked-out branch adds 0002."""
    repo = tmp / "repo"
    (repo / "migrations").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "migrations" / "0001_demo.sql").write_text(demo_sql(), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "demo")
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "migrations" / "0002_change.sql").write_text(pr_migration, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "change")
    return repo


def test_breaking_pull_request_is_diffed_commented_and_gated(new_database, tmp_path):
    repo = make_repo(tmp_path, BREAKING_MIGRATION)
    env = env_for(new_database(prefix="ci"))
    done = sh("schema-diff.sh", "main", "migrations", "schema-diff", cwd=repo, env=env)
    assert done.returncode == 0, done.stderr
    assert "applying 0001_demo.sql" in done.stderr and "applying 0002_change.sql" in done.stderr
    out = repo / "schema-diff"
    assert done.stdout == (out / "diff.txt").read_text()
    assert done.stdout.startswith("schema diff schema-diff/base.json → schema-diff/head.json: 4 changes (3 breaking, 1 safe)")
    data = json.loads((out / "diff.json").read_text())
    got = {(c["severity"], c["action"], c["name"]) for c in data["changes"]}
    assert got == {
        ("breaking", "removed", "analytics.daily_traffic"),
        ("breaking", "removed", "app.page_views.user_id"),
        ("breaking", "renamed", "app.users.display_name"),  # one database: the OID proves the rename
        ("safe", "added", "app.orders.notes"),
    }
    assert (out / "diff.md").read_text().startswith(MARKER)
    base = snapshot.load(out / "base.json")
    assert "schemadocs_ci" not in {s.name for s in base.schemas}, "the bookkeeping schema is left out"

    gated = sh("gate.sh", "schema-diff", cwd=repo, env=env)
    assert gated.returncode == 1 and "column app.page_views.user_id removed" in gated.stdout
    assert gated.stderr.strip().splitlines()[-1].startswith("error: 3 breaking schema changes")
    allowed = sh("gate.sh", "schema-diff", cwd=repo, env={**env, "ALLOW_BREAKING": "true"})
    assert allowed.returncode == 0 and allowed.stdout.startswith("::warning::3 breaking schema change(s) accepted")

    # the migrations are already applied: running again applies nothing and changes nothing
    again = sh("migrate.sh", "migrations", cwd=repo, env=env)
    assert again.returncode == 0 and "applied 0 migration(s)" in again.stderr


def test_safe_pull_request_passes_the_gate(new_database, tmp_path):
    repo = make_repo(tmp_path, SAFE_MIGRATION)
    env = env_for(new_database(prefix="ci"))
    assert sh("schema-diff.sh", "main", cwd=repo, env=env).returncode == 0
    gated = sh("gate.sh", cwd=repo, env=env)
    assert gated.returncode == 0, gated.stderr
    assert "1 change (0 breaking, 1 safe)" in gated.stdout


def test_a_migration_edited_after_it_was_applied_is_refused(new_database, tmp_path):
    repo = make_repo(tmp_path, SAFE_MIGRATION)
    with (repo / "migrations" / "0001_demo.sql").open("a") as f:
        f.write("\nCOMMENT ON TABLE app.orders IS 'edited';\n")
    done = sh("schema-diff.sh", "main", cwd=repo, env=env_for(new_database(prefix="ci")))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "error: migration 0001_demo.sql was changed after it was applied; add a new migration instead of editing it")


def test_failing_migration_stops_the_job(new_database, tmp_path):
    repo = make_repo(tmp_path, "ALTER TABLE app.no_such_table ADD COLUMN x int;\n")
    env = env_for(new_database(prefix="ci"))
    done = sh("schema-diff.sh", "main", cwd=repo, env=env)
    assert done.returncode != 0 and "no_such_table" in done.stderr
    assert not (repo / "schema-diff" / "head.json").exists()


NEW_TABLE_MIGRATION = "CREATE TABLE app.scratch (note text);\n"


def test_health_checks_annotate_new_findings_and_gate_with_a_baseline(new_database, tmp_path):
    repo = make_repo(tmp_path, NEW_TABLE_MIGRATION)
    env = env_for(new_database(prefix="ci"))
    assert sh("schema-diff.sh", "main", cwd=repo, env=env).returncode == 0
    baseline = ".github/schemadocs/lint-baseline.json"
    (repo / ".github" / "schemadocs").mkdir(parents=True)
    # main's findings are accepted: the baseline is written from the base branch's schema
    done = subprocess.run(["schemadocs", "lint", "--snapshot", "schema-diff/base.json", "--write-baseline", baseline],
                          cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr

    done = sh("lint.sh", "schema-diff", baseline, cwd=repo, env=env)
    assert done.returncode == 0, done.stderr
    out = repo / "schema-diff"
    new = json.loads((out / "lint.json").read_text())["findings"]
    assert ("no-primary-key", "app.scratch") in {(f["rule"], f["object"]) for f in new}
    assert all(f["object"].startswith("app.scratch") for f in new), "only the pull request's table is new"
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == len(new)
    assert "::warning title=no-primary-key%3A app.scratch::table app.scratch has no primary key" in annotations
    assert (out / "lint.md").read_text().startswith(LINT_MARKER + "\n")

    assert sh("lint-gate.sh", "schema-diff", baseline, cwd=repo, env=env).returncode == 0  # a warning: default error
    gated = sh("lint-gate.sh", "schema-diff", baseline, cwd=repo, env={**env, "LINT_FAIL_ON": "warning"})
    assert gated.returncode == 1 and "app.scratch" in gated.stdout
    assert gated.stderr.strip().splitlines()[-1].startswith("error: ")
    # accepted: the baseline rewritten from this branch's schema lets the gate pass
    subprocess.run(["schemadocs", "lint", "--snapshot", "schema-diff/head.json", "--write-baseline", baseline],
                   cwd=repo, env=env, check=True, capture_output=True)
    assert sh("lint-gate.sh", "schema-diff", baseline, cwd=repo, env={**env, "LINT_FAIL_ON": "info"}).returncode == 0


FAKE_GH = """#!/usr/bin/env bash
# records its arguments; answers the comment listing with $FAKE_GH_LIST
echo "$*" >> "$FAKE_GH_LOG"
case "$*" in *"--paginate"*) printf '%s' "${FAKE_GH_LIST:-}" ;; esac
"""


def test_comment_is_posted_then_updated(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "diff.md").write_text(MARKER + "\n### Schema changes\n")
    log = tmp_path / "gh.log"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITHUB_REPOSITORY": "acme/shop",
           "FAKE_GH_LOG": str(log)}
    first = sh("comment.sh", "17", "diff.md", cwd=tmp_path, env=env)
    assert first.returncode == 0 and first.stdout == "commented on #17\n", first.stderr
    second = sh("comment.sh", "17", "diff.md", cwd=tmp_path, env={**env, "FAKE_GH_LIST": "111\n222\n"})
    assert second.returncode == 0 and second.stdout == "updated comment 222 on #17\n", second.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("api --paginate repos/acme/shop/issues/17/comments --jq ")
    assert MARKER in calls[0]
    assert calls[1] == "api --method POST repos/acme/shop/issues/17/comments -F body=@diff.md"
    assert calls[3] == "api --method PATCH repos/acme/shop/issues/comments/222 -F body=@diff.md"
    (tmp_path / "lint.md").write_text(LINT_MARKER + "\n### Health checks\n")
    assert sh("comment.sh", "17", "lint.md", cwd=tmp_path, env=env).returncode == 0
    assert LINT_MARKER in log.read_text().splitlines()[4]  # the lint comment is found by its own marker
    (tmp_path / "other.md").write_text("hello\n")
    refused = sh("comment.sh", "17", "other.md", cwd=tmp_path, env=env)
    assert refused.returncode == 2 and "does not start with a schemadocs marker" in refused.stderr


def test_publish_builds_the_site_then_its_changes(new_database, tmp_path):
    repo = make_repo(tmp_path, SAFE_MIGRATION)
    env = env_for(new_database(prefix="ci"))
    # first publication: nothing published before
    assert sh("migrate.sh", "migrations", cwd=repo, env=env).returncode == 0
    plan_file = planned(tmp_path, "1") / "plan.json"  # the plan as plan.sh writes it
    done = sh("publish.sh", "published", cwd=repo, env={**env, "PREVIOUS_URL": (tmp_path / "nothing").as_uri(),
                                                        "PLAN_FILE": str(plan_file)})
    assert done.returncode == 0, done.stderr
    assert "no snapshot published at" in done.stderr
    assert "no previous site: the migration plan" in done.stderr
    published = repo / "published"
    assert (published / "index.html").is_file() and (published / "schemas" / "app" / "orders.html").is_file()
    catalog = snapshot.load(published / "catalog.json")
    assert "notes" in {c.name for c in catalog.by_name[next(q for q in catalog.by_name if q.name == "orders")].columns}
    assert "schemadocs_ci" not in {s.name for s in catalog.schemas}
    assert not (published / "changes.html").exists()
    # the next push to main: one more migration, the previous site fetched from its URL
    (repo / "migrations" / "0003_more.sql").write_text("ALTER TABLE app.users DROP COLUMN tags;\n")
    assert sh("migrate.sh", "migrations", cwd=repo, env=env).returncode == 0
    done = sh("publish.sh", "site", cwd=repo, env={**env, "PREVIOUS_URL": published.as_uri() + "/",
                                                   "PLAN_FILE": str(plan_file)})
    assert done.returncode == 0, done.stderr
    changes = (repo / "site" / "changes.html").read_text()
    assert 'id="build-1-plan"' in changes and "migrations/0042_orders.sql:1" in changes
    assert "1 schema change since the previous build" in done.stderr
    history = json.loads((repo / "site" / "changes.json").read_text())["builds"]
    assert [(c["severity"], c["action"], c["name"]) for c in history[0]["changes"]] == [
        ("breaking", "removed", "app.users.tags")]
    assert 'href="../../changes.html#build-1"' in (repo / "site" / "schemas" / "app" / "users.html").read_text()


# ---------------------------------------------------------------------------------- the migration plan

def has_plan_command() -> bool:
    from schemadocs.cli import cli
    return "plan" in cli.commands


def test_plan_sh_plans_only_the_new_migrations_and_applies_nothing(new_database, tmp_path):
    repo = make_repo(tmp_path, SAFE_MIGRATION)
    dsn = new_database(prefix="ci")
    env = env_for(dsn)
    done = sh("plan.sh", "main", "migrations", "schema-diff", cwd=repo, env=env)
    assert done.returncode == 0, done.stderr
    out = repo / "schema-diff"
    if not has_plan_command():  # a schemadocs without `plan` (an older pinned version): no plan, no failure
        assert "has no plan command" in done.stderr
        assert not any((out / f).exists() for f in ("plan.md", "plan.json", "plan-status"))
        return
    assert "applying 0001_demo.sql" in done.stderr and "planning migrations/0002_change.sql" in done.stderr
    orders = next(r for r in snapshot.loads(subprocess.run(
        ["schemadocs", "snapshot", "--no-stats", "--dsn", dsn], env=env, capture_output=True, check=True).stdout
    ).relations if r.name == "orders")
    assert "notes" not in {c.name for c in orders.columns}, "the new migration is planned, not applied"
    plan = json.loads((out / "plan.json").read_text())
    assert [(s["file"], s["line"]) for s in plan["statements"]] == [("migrations/0002_change.sql", 1)]
    assert (out / "plan-status").read_text().strip() == "0"
    assert (out / "plan.md").read_text().strip()
    # the diff that follows shows the plan after it, in the comment's file
    assert sh("schema-diff.sh", "main", "migrations", "schema-diff", cwd=repo, env=env).returncode == 0
    comment = (out / "diff.md").read_text()
    assert comment.startswith(MARKER) and comment.endswith((out / "plan.md").read_text())


def test_plan_sh_without_new_migrations_writes_no_plan(new_database, tmp_path):
    repo = make_repo(tmp_path, SAFE_MIGRATION)
    done = sh("plan.sh", "HEAD", "migrations", "schema-diff", cwd=repo, env=env_for(new_database(prefix="ci")))
    assert done.returncode == 0, done.stderr
    assert not (repo / "schema-diff" / "plan-status").exists()
    if has_plan_command():
        assert "no new migration since HEAD" in done.stderr
    unknown = sh("plan.sh", "no-such-ref", "migrations", "out", cwd=repo, env=env_for(new_database(prefix="ci")))
    assert unknown.returncode == 0 and not (repo / "out" / "plan-status").exists()


def planned(tmp_path: Path, status: str | None) -> Path:
    """An OUT_DIR as plan.sh leaves it: the demo plan of the site tests, and the plan's exit status."""
    from schemadocs.plan import json_format
    from tests.plan.test_site_plan import demo_plan

    out = tmp_path / "schema-diff"
    out.mkdir()
    (out / "plan.json").write_text(json_format.dumps(demo_plan()))
    if status is not None:
        (out / "plan-status").write_text(status + "\n")
    return out


def test_plan_gate_fails_on_a_risky_migration_unless_labelled(tmp_path):
    planned(tmp_path, "1")
    env = {**os.environ}
    gated = sh("plan-gate.sh", cwd=tmp_path, env=env)
    assert gated.returncode == 1
    assert gated.stdout == "migrations/0042_orders.sql:1: high: ALTER TABLE app.orders ALTER COLUMN id TYPE bigint\n"
    assert gated.stderr.strip().splitlines() == [
        "error: the migration has statements at high risk or above; follow the plan's advice, or label the "
        "pull request to accept them"]
    medium = sh("plan-gate.sh", cwd=tmp_path, env={**env, "PLAN_FAIL_ON": "medium"})
    assert medium.returncode == 1 and len(medium.stdout.splitlines()) == 2, "the high and the medium statement"
    allowed = sh("plan-gate.sh", cwd=tmp_path, env={**env, "ALLOW_RISKY": "true"})
    assert allowed.returncode == 0 and allowed.stdout.startswith("::warning::risky migration accepted")


@pytest.mark.parametrize(("status", "code", "said"), [
    ("0", 0, "migration plan: no statement at high risk or above"),
    (None, 0, "no migration plan in schema-diff: nothing to gate"),
    ("2", 2, "error: a statement of the migration failed when planned (exit 2)"),
])
def test_plan_gate_passes_a_safe_plan_and_stops_on_a_failed_one(tmp_path, status, code, said):
    out = planned(tmp_path, status)
    if status is None:
        (out / "plan.json").unlink()
    gated = sh("plan-gate.sh", cwd=tmp_path, env={**os.environ})
    assert gated.returncode == code and said in gated.stdout + gated.stderr


# ---------------------------------------------------------------------------------- the site cache

def test_the_site_cache_is_kept_per_branch_before_the_build(workflow):
    steps = workflow["jobs"]["publish"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    cache = steps[uses.index("actions/cache")]
    build = next(i for i, s in enumerate(steps) if "publish.sh" in s.get("run", ""))
    assert uses.index("actions/cache") < build and steps[build]["run"] == '"$SCRIPTS/publish.sh" site'
    assert cache["with"]["path"].split() == ["site", "~/.cache/schemadocs"]
    assert "${{ github.ref_name }}" in cache["with"]["key"] and "${{ env.SITE_CACHE }}" in cache["with"]["key"]
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    assert cache["with"]["key"].endswith("${{ github.run_id }}"), "caches are immutable: one per run, newest restored"


def test_a_warm_publish_after_a_migration_is_incremental_and_builds_the_cold_site(new_database, tmp_path):
    repo = make_repo(tmp_path, SAFE_MIGRATION)
    runner_cache = tmp_path / "home" / ".cache"  # the runner's ~/.cache, which the workflow keeps
    # SCHEMADOCS_STATS=0: without the activity counters (which every read moves) the warm site
    # and the cold one can be compared byte for byte, catalog.json included
    env = env_for(new_database(prefix="ci"), XDG_CACHE_HOME=str(runner_cache), SOURCE_DATE_EPOCH="1700000000",
                  SCHEMADOCS_STATS="0")

    def publish(site: str, migration: str | None, published: Path | None, **extra: str) -> str:
        if migration:
            (repo / "migrations" / f"{len(list((repo / 'migrations').glob('*.sql'))) + 1:04}.sql").write_text(migration)
        assert sh("migrate.sh", "migrations", cwd=repo, env=env).returncode == 0
        previous = {"PREVIOUS_URL": published.as_uri() + "/"} if published else {}
        done = sh("publish.sh", site, cwd=repo, env={**env, **previous, **extra})
        assert done.returncode == 0, done.stderr
        return done.stderr

    # two runs on main: the first publication, then a migration (its site gains the Changes page)
    assert "incremental build" not in publish("site", None, None)
    shutil.copytree(repo / "site", tmp_path / "published-1")
    publish("site", "ALTER TABLE app.users ADD COLUMN nickname text;\n", tmp_path / "published-1")
    shutil.copytree(repo / "site", tmp_path / "published-2")  # what GitHub Pages serves now
    # the job ends: actions/cache saves both paths; the next run starts on a fresh runner and restores them
    saved = tmp_path / "saved"
    for path, name in ((repo / "site", "site"), (runner_cache / "schemadocs", "schemadocs")):
        shutil.copytree(path, saved / name, symlinks=True)
        shutil.rmtree(path)
    shutil.copytree(saved / "site", repo / "site", symlinks=True)
    shutil.copytree(saved / "schemadocs", runner_cache / "schemadocs", symlinks=True)
    # the next push: a one-table migration, built over the restored site
    warm = publish("site", "ALTER TABLE app.orders ADD COLUMN gift_note text;\n", tmp_path / "published-2")
    rendered = re.search(r"incremental build: MkDocs rendered (\d+) changed pages? and copied", warm)
    pages = re.search(r"built (\d+) generated", warm)
    assert rendered and pages and 1 <= int(rendered.group(1)) < int(pages.group(1)), warm
    # a cold build of the same database and published site, with nothing cached
    cold = publish("cold", None, tmp_path / "published-2", XDG_CACHE_HOME=str(tmp_path / "empty"))
    assert "incremental build" not in cold

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
                if p.is_file() and p.name not in (".schemadocs-build.json", "sitemap.xml.gz")}
    warm_files, cold_files = files(repo / "site"), files(repo / "cold")
    assert sorted(warm_files) == sorted(cold_files)
    assert "database_stats" not in json.loads(warm_files["catalog.json"])  # the environment reached the build
    assert [p for p in cold_files if warm_files[p] != cold_files[p]] == []
    assert 'id="col-gift_note"' in (repo / "site" / "schemas" / "app" / "orders.html").read_text()
