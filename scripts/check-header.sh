#!/usr/bin/env bash
# check-header.sh -- fail when include/linreg.h and the library disagree.
#
# Run from anywhere (make test-header runs it from the repository root):
#   bash scripts/check-header.sh              check the header against the library
#   bash scripts/check-header.sh --self-test  check that the check catches
#       mutated prototypes, added/removed functions and exports, a missing
#       LINREG_NODISCARD or since note
#
# Two checks, both must pass:
#  1. Prototypes. swiftc generates a C header for the @_cdecl("linreg_*")
#     functions of Sources/CLinReg (after `swift build --target LinReg` in the
#     scratch folder .build-header/ provides the LinReg module). Every
#     prototype there is compared with the one of the same name in
#     include/linreg.h after both are normalised: parameter names, `const`,
#     nullability (_Nullable, _Nonnull), SWIFT_*/LINREG_API attributes
#     dropped; C enum types and `int` spelled int32_t; the opaque
#     `linreg_model` spelled `void`; function-pointer typedefs expanded. A
#     function on one side only is a mismatch too, and every @_cdecl name must
#     start with linreg_.
#  2. Exports. `nm -D --defined-only` on the shared library must list, among
#     its global symbols, exactly the functions the header declares, all
#     linreg_ prefixed (the symbol-version node, e.g. LINREG_0, and local
#     symbols are not exports and are ignored).
#     Also: every function returning linreg_status is LINREG_NODISCARD (and
#     no other is), and every prototype is followed by a /* since X.Y */ note.
# Mismatches are printed as a diff; the exit status is 0 only when both agree.
#
# Environment:
#   LINREG_HEADER   the header to check (default include/linreg.h)
#   LINREG_LIBRARY  the library to check (default build/lib/liblinreg.so)
#   LINREG_HEADER_SCRATCH  SwiftPM scratch folder (default .build-header)
#   LINREG_CHECK_HEADER_VERBOSE=1  also print every normalised prototype
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
header=${LINREG_HEADER:-include/linreg.h}
library=${LINREG_LIBRARY:-build/lib/liblinreg.so}
scratch=${LINREG_HEADER_SCRATCH:-.build-header}

fail() { echo "check-header: $*" >&2; exit 1; }
[ -r "$header" ] || fail "cannot read the header $header"
[ -e "$library" ] || fail "no library at $library: build it first (make)"
command -v python3 >/dev/null || fail "python3 is needed to compare the prototypes"
command -v nm >/dev/null || fail "nm (binutils) is needed to list the exports"

work=$(mktemp -d "${TMPDIR:-/tmp}/check-header.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- 1. The header swiftc generates for Sources/CLinReg -----------------
# Retried once: another build editing the sources at the same moment makes
# swiftc stop with "modified during the build".
build_module() {
  swift build --scratch-path "$scratch" --target LinReg > "$work/build.log" 2>&1
}
if ! build_module && ! build_module; then
  cat "$work/build.log" >&2
  fail "swift build --target LinReg failed"
fi
modules="$(swift build --scratch-path "$scratch" --show-bin-path)/Modules"
[ -e "$modules/LinReg.swiftmodule" ] || fail "no LinReg.swiftmodule in $modules"

mapfile -t clinreg_sources < <(find Sources/CLinReg -name '*.swift' | sort)
[ "${#clinreg_sources[@]}" -gt 0 ] || fail "no Swift sources in Sources/CLinReg"
if ! swiftc -typecheck -parse-as-library -swift-version 6 -module-name CLinReg -I "$modules" \
     -emit-clang-header-path "$work/CLinReg.h" "${clinreg_sources[@]}" > "$work/swiftc.log" 2>&1; then
  cat "$work/swiftc.log" >&2
  fail "swiftc could not generate the C header of Sources/CLinReg"
fi

# ---- Normalise and compare ------------------------------------------------
cat > "$work/compare.py" <<'PY'
import os
import re
import sys

header_path, generated_path, nm_path, library_path = sys.argv[1:5]

DROP = {"const", "volatile", "restrict", "extern", "static", "inline", "LINREG_API", "LINREG_NODISCARD", "SWIFT_EXTERN",
        "_Nullable", "_Nonnull", "_Null_unspecified", "__nullable", "__nonnull"}
SPELLING = {"int": "int32_t", "signed": "int32_t", "_Bool": "bool"}


def strip_source(text):
    text = re.sub(r"\\\n", " ", text)  # line continuations (a #define on several lines)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


def tokens(text):
    out = re.findall(r"[A-Za-z_][A-Za-z_0-9]*|\.\.\.|[*(),\[\]]|\S", text)
    result, i = [], 0
    while i < len(out):
        t = out[i]
        # Attribute-like macros with arguments: SWIFT_NAME("x"), __attribute__((...)).
        if (t.startswith("SWIFT_") or t == "__attribute__") and i + 1 < len(out) and out[i + 1] == "(":
            depth, i = 0, i + 1
            while i < len(out):
                depth += out[i] == "("
                depth -= out[i] == ")"
                i += 1
                if depth == 0:
                    break
            continue
        if t not in DROP and not t.startswith("SWIFT_"):
            result.append(t)
        i += 1
    return result


def split_top(toks, sep=","):
    parts, depth, cur = [], 0, []
    for t in toks:
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        if t == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


class Types:
    def __init__(self):
        self.alias = {}  # typedef name -> normalised token list

    def norm_type(self, toks):
        out = []
        for t in toks:
            if t in self.alias:
                out.extend(self.alias[t])
            else:
                out.append(SPELLING.get(t, t))
        return out

    def norm_param(self, toks):
        """A parameter's type without its name, as a string."""
        if "(" in toks:  # function pointer: RET ( * NAME? ) ( ARGS )
            first = toks.index("(")
            depth, close = 0, first
            for j in range(first, len(toks)):
                depth += toks[j] == "("
                depth -= toks[j] == ")"
                if depth == 0:
                    close = j
                    break
            ret = self.norm_type(toks[:first])
            inner = toks[first + 1:close]
            stars = [t for t in inner if t == "*"]
            args = toks[close + 2:-1] if close + 1 < len(toks) and toks[close + 1] == "(" else []
            return "%s (%s)(%s)" % (join(ret), "".join(stars), self.norm_args(args))
        toks = self.norm_type(toks)
        words = [t for t in toks if t != "*"]
        if len(words) > 1 and re.match(r"[A-Za-z_]\w*$", toks[-1]) and toks[-1] not in ("void",):
            toks = toks[:-1]  # the parameter name
        return join(toks)

    def norm_args(self, toks):
        if not toks or toks == ["void"]:
            return "void"
        return ", ".join(self.norm_param(p) for p in split_top(toks))


def join(toks):
    s = " ".join(toks)
    s = re.sub(r"\* (?=\*)", "*", s)
    return s.replace("( ", "(").replace(" )", ")")


def declarations(path, marker, every_function):
    """name -> (original text, normalised prototype, has marker) for each
    function declaration: every one when every_function, else only the
    statements that carry marker."""
    text = strip_source(open(path, encoding="utf-8").read())
    text = re.sub(r'extern\s*"C"\s*\{', " ", text)
    types = Types()
    found = {}
    for statement in text.split(";"):
        statement = " ".join(statement.split()).lstrip("} ").strip()
        if not statement:
            continue
        words = statement.split()
        toks = tokens(statement)
        if words[0] == "typedef":
            body = toks[1:]
            if body[:1] in (["enum"], ["struct"]):
                # typedef enum X {...} X -> int32_t; typedef struct X X (opaque) -> void
                types.alias[body[-1]] = ["int32_t"] if body[0] == "enum" else ["void"]
            elif "(" in body:  # typedef RET (*NAME)(ARGS)
                inner = body[body.index("(") + 1:]
                name = next((t for t in inner if re.match(r"[A-Za-z_]\w*$", t)), None)
                if name:
                    types.alias[name] = [types.norm_param([t for t in body if t != name])]
            elif len(body) >= 2:
                types.alias[body[-1]] = types.norm_type(body[:-1])
            continue
        if "(" not in toks or (marker not in words and not every_function):
            continue
        open_at = toks.index("(")
        if open_at == 0 or not re.match(r"[A-Za-z_]\w*$", toks[open_at - 1]):
            continue
        name = toks[open_at - 1]
        ret = types.norm_type(toks[:open_at - 1])
        args = toks[open_at + 1:len(toks) - 1 - toks[::-1].index(")")]
        proto = "%s %s(%s)" % (join(ret), name, types.norm_args(args))
        shown = " ".join(w for w in words if w != marker and not w.startswith("SWIFT_"))
        found[name] = (shown, proto, marker in words, "LINREG_NODISCARD" in words, toks[:open_at - 1])
    return found


def since_notes(path, names):
    """name -> version of the /* since X.Y */ comment right after its prototype."""
    text = open(path, encoding="utf-8").read()
    notes = {}
    for name in names:
        m = re.search(r"\b%s\s*\([^;]*\)\s*;[ \t]*/\*\s*since\s+(\d+\.\d+)\s*\*/" % re.escape(name), text)
        if m:
            notes[name] = m.group(1)
    return notes


header = declarations(header_path, "LINREG_API", True)
swift = declarations(generated_path, "SWIFT_EXTERN", False)
problems = []
for name in sorted(header):
    if not header[name][2]:
        problems.append("! %s is declared without LINREG_API in %s" % (name, header_path))
    returns_status = "linreg_status" in header[name][4]
    if returns_status and not header[name][3]:
        problems.append("! %s returns a linreg_status but is declared without LINREG_NODISCARD" % name)
    if header[name][3] and not returns_status:
        problems.append("! %s is LINREG_NODISCARD but does not return a linreg_status" % name)
notes = since_notes(header_path, header)
for name in sorted(set(header) - set(notes)):
    problems.append("! %s has no /* since X.Y */ note right after its prototype" % name)

for name in sorted(set(swift) - set(header)):
    problems.append("+ only in Sources/CLinReg (@_cdecl): %s\n    %s" % (name, swift[name][0]))
for name in sorted(set(header) - set(swift)):
    problems.append("- only in %s: %s\n    %s" % (header_path, name, header[name][0]))
for name in sorted(set(header) & set(swift)):
    if header[name][1] != swift[name][1]:
        problems.append("! %s differs\n    header:    %s\n    Swift:     %s\n    normalised header: %s\n"
                        "    normalised Swift:  %s" % (name, header[name][0], swift[name][0], header[name][1],
                                                      swift[name][1]))
for name in sorted(swift):
    if not name.startswith("linreg_"):
        problems.append("! @_cdecl name without the linreg_ prefix: %s" % name)

exports, ignored = set(), 0
for line in open(nm_path):
    parts = line.split()
    if len(parts) < 2:
        continue
    kind, symbol = parts[-2], parts[-1].split("@")[0]
    if kind == "A" or not kind.isupper():  # version node, or a local symbol
        ignored += 1
        continue
    exports.add(symbol)
for name in sorted(exports - set(header)):
    problems.append("+ exported by %s but not in the header: %s" % (library_path, name))
for name in sorted(set(header) - exports):
    problems.append("- declared in the header but not exported by %s: %s" % (library_path, name))
for name in sorted(exports):
    if not name.startswith("linreg_"):
        problems.append("! exported symbol without the linreg_ prefix: %s" % name)

if os.environ.get("LINREG_CHECK_HEADER_VERBOSE"):
    for name in sorted(set(header) | set(swift)):
        print("%-28s header: %s" % (name, header.get(name, ("", "(none)"))[1]))
        print("%-28s Swift:  %s" % ("", swift.get(name, ("", "(none)"))[1]))
if not header or not swift:
    problems.append("! no prototypes found in %s: the parser is broken"
                    % (header_path if not header else "the generated header"))
if problems:
    print("check-header: %s and the library DISAGREE:" % header_path)
    for p in problems:
        print(p)
    print("check-header: %d mismatch(es)" % len(problems))
    sys.exit(1)
print("check-header: OK: %d functions; header, Swift @_cdecl prototypes and the exports of %s agree"
      % (len(header), library_path))
PY
nm -D --defined-only "$library" > "$work/nm.txt" || fail "nm failed on $library"

# compare HEADER NM_LISTING: prints the verdict; status 0 when they agree.
compare() {
  python3 "$work/compare.py" "$1" "$work/CLinReg.h" "$2" "$library"
}

if [ "${1:-}" != "--self-test" ]; then
  compare "$header" "$work/nm.txt"
  exit $?
fi

# ---- --self-test: the check must catch each of these changes ---------------
# Each mutation of the header (or of the export list) must make compare fail
# with the expected line, whatever the state of the real header.
selftest_failed=0
expect_mismatch() { # NAME EXPECTED-LINE HEADER NM
  local out
  if out=$(compare "$3" "$4"); then
    echo "self-test FAILED: $1: the check passed"; selftest_failed=1
  elif ! grep -qF -- "$2" <<<"$out"; then
    echo "self-test FAILED: $1: no line \"$2\" in:"; echo "$out"; selftest_failed=1
  else
    echo "self-test ok: $1"
  fi
}
m="$work/mutated.h"
sed -E 's/(linreg_predict_f64\(const linreg_model \*model, const double \*X, )int64_t/\1int32_t/' "$header" > "$m"
expect_mismatch "parameter type changed" "! linreg_predict_f64 differs" "$m" "$work/nm.txt"
sed -E 's/LINREG_API const char \*linreg_version_string\(void\)/LINREG_API const char *linreg_version_string(int flags)/' "$header" > "$m"
expect_mismatch "parameter added" "! linreg_version_string differs" "$m" "$work/nm.txt"
sed -E 's/LINREG_API void linreg_free\(/LINREG_API int linreg_free(/' "$header" > "$m"
expect_mismatch "return type changed" "! linreg_free differs" "$m" "$work/nm.txt"
grep -v 'linreg_is_fitted(' "$header" > "$m"
expect_mismatch "function removed" "+ only in Sources/CLinReg (@_cdecl): linreg_is_fitted" "$m" "$work/nm.txt"
sed 's/^#ifdef __cplusplus$/LINREG_API int linreg_frobnicate(double x);\n#ifdef __cplusplus/' "$header" > "$m"
expect_mismatch "function added" "- only in $m: linreg_frobnicate" "$m" "$work/nm.txt"
{ cat "$work/nm.txt"; echo "0000000000001234 T helper_function"; } > "$work/nm-extra.txt"
expect_mismatch "extra export" "+ exported by $library but not in the header: helper_function" "$header" "$work/nm-extra.txt"
grep -v ' linreg_get_shape' "$work/nm.txt" > "$work/nm-missing.txt"
expect_mismatch "missing export" "- declared in the header but not exported by $library: linreg_get_shape" "$header" "$work/nm-missing.txt"
: > "$m"
expect_mismatch "empty header" "no prototypes found" "$m" "$work/nm.txt"
sed -E 's/LINREG_API LINREG_NODISCARD linreg_status linreg_merge\(/LINREG_API linreg_status linreg_merge(/' "$header" > "$m"
expect_mismatch "LINREG_NODISCARD dropped" "! linreg_merge returns a linreg_status but is declared without LINREG_NODISCARD" "$m" "$work/nm.txt"
sed -E 's|(linreg_get_shape\(.*\);) */\* since [0-9.]+ \*/|\1|' "$header" > "$m"
expect_mismatch "since note dropped" "! linreg_get_shape has no /* since X.Y */ note" "$m" "$work/nm.txt"
if [ "$selftest_failed" -ne 0 ]; then
  fail "self-test failed: the check misses a mismatch"
fi
echo "check-header: self-test passed: every mutation was caught"
