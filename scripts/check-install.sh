#!/usr/bin/env bash
# make install into a temporary prefix, then compile and run the README's C
# example against it exactly as the README says (pkg-config), and check the
# installed library: SONAME, symlinks, no Swift runtime dependency.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
make -C "$root" --no-print-directory install PREFIX="$prefix" >/dev/null

fail() { echo "check-install: $*" >&2; exit 1; }
# The version, from the one place it is written.
part() { sed -n "s/^#define LINREG_VERSION_$1 *\([0-9][0-9]*\) *\$/\1/p" "$root/include/linreg.h"; }
major=$(part MAJOR); version="$major.$(part MINOR).$(part PATCH)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "cannot read the version from include/linreg.h ('$version')"
lib="$prefix/lib/liblinreg.so.$version"
[ -f "$lib" ] || fail "missing $lib"
[ "$(readlink "$prefix/lib/liblinreg.so.$major")" = "liblinreg.so.$version" ] || fail "bad liblinreg.so.$major link"
[ "$(readlink "$prefix/lib/liblinreg.so")" = "liblinreg.so.$major" ] || fail "bad liblinreg.so link"
[ -f "$prefix/include/linreg.h" ] || fail "missing header"
cmp -s "$prefix/include/linreg.h" "$root/include/linreg.h" || fail "installed header differs from include/linreg.h"
# The header is all a C user gets: it must not send them to the source tree's notes.
if grep -nE 'docs/|\.md\b|the seed' "$prefix/include/linreg.h"; then
  fail "the installed header refers to files or shorthand that are not installed (lines above)"
fi
for doc in LICENSE CHANGELOG.md; do
  [ -f "$prefix/share/doc/liblinreg/$doc" ] || fail "missing share/doc/liblinreg/$doc"
done
grep -qx "Version: $version" "$prefix/lib/pkgconfig/linreg.pc" || fail "linreg.pc does not say Version: $version"
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "liblinreg.so.$major" ] || fail "SONAME is '$soname'"
libdeps=$(ldd "$lib")
if grep -q 'libswift' <<<"$libdeps"; then fail "depends on the Swift runtime: $(grep libswift <<<"$libdeps")"; fi

# The README's C example, compiled as its first line says.
python3 - "$root/README.md" "$work/example.c" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
block = re.search(r"```c\n(.*?)```", text, re.S)
if not block:
    sys.exit("no C example in README.md")
open(sys.argv[2], "w").write(block.group(1))
PY
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
if command -v pkg-config >/dev/null; then
  flags=$(pkg-config --cflags --libs linreg)
else
  echo "check-install: pkg-config not installed; using the flags linreg.pc holds" >&2
  flags="-I$prefix/include -L$prefix/lib -Wl,-rpath,$prefix/lib -llinreg"
fi
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Werror "$work/example.c" $flags -o "$work/example"
out=$("$work/example")
[ "$out" = "W = [2, -3], b = 1" ] || fail "README example printed '$out'"
# (ldd's output is captured first: with pipefail, grep -q closing the pipe early
# would make ldd die of SIGPIPE and the pipeline fail.)
deps=$(ldd "$work/example")
grep -q "$prefix/lib/liblinreg.so.$major" <<<"$deps" || fail "example did not load the installed library: $deps"
echo "check-install: ok (version $version: install layout, SONAME, pkg-config version, LICENSE, no libswift, README C example prints the expected weights)"
