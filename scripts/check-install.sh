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
lib="$prefix/lib/liblinreg.so.0.1.0"
[ -f "$lib" ] || fail "missing $lib"
[ "$(readlink "$prefix/lib/liblinreg.so.0")" = liblinreg.so.0.1.0 ] || fail "bad liblinreg.so.0 link"
[ "$(readlink "$prefix/lib/liblinreg.so")" = liblinreg.so.0 ] || fail "bad liblinreg.so link"
[ -f "$prefix/include/linreg.h" ] || fail "missing header"
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = liblinreg.so.0 ] || fail "SONAME is '$soname'"
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
grep -q "$prefix/lib/liblinreg.so.0" <<<"$deps" || fail "example did not load the installed library: $deps"
echo "check-install: ok (install layout, SONAME, no libswift, README C example prints the expected weights)"
