#!/usr/bin/env bash
# check-header.sh -- fail when include/linreg.h and the library disagree.
#
# Run from anywhere (make test-header runs it from the repository root):
#   bash scripts/check-header.sh              check the header against the library
#   bash scripts/check-header.sh --self-test  check that the check catches
#       mutated prototypes, added/removed functions and exports, a missing
#       LINREG_NODISCARD or since note, and changed enum values and versions
#
# Three checks, all must pass:
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
#  3. Constants, written once in the header and compared with every copy:
#     - the raw values of the Swift enums Status (Sources/CLinReg), Parameter,
#       SolverKind, StatisticKind and CoefficientStatisticKind (Sources/LinReg),
#       printed by a small program compiled against the scratch build, must
#       equal the header's LINREG_* values, case for case (names matched
#       without case and underscores, plus a few deliberate spellings such as
#       noMemory = LINREG_E_NOMEM);
#     - the Python package `linreg` (bindings/python), imported by the test
#       venv's python with this library: each IntEnum that mirrors a header
#       enum (found by its member names, wherever it is defined) must have
#       exactly that enum's members and values; LINREG_* integers must equal
#       the header's; every header enum must be mirrored;
#     - LINREG_VERSION_MAJOR/MINOR/PATCH must equal Swift's LibraryVersion,
#       what the library reports (linreg_version_number/_string), Python's
#       linreg.__version__ and any *VERSION_NUMBER / *VERSION tuple in the
#       package, and [project] version in bindings/python/pyproject.toml.
#     (The Makefile reads its VERSION from the header, so it needs no check.)
# Mismatches are printed as a diff; the exit status is 0 only when all agree.
#
# Environment:
#   LINREG_HEADER   the header to check (default include/linreg.h)
#   LINREG_LIBRARY  the library to check (default build/lib/liblinreg.so)
#   LINREG_HEADER_SCRATCH  SwiftPM scratch folder (default .build-header)
#   LINREG_CHECK_HEADER_VERBOSE=1  also print every normalised prototype
#   LINREG_CHECK_HEADER_PYTHON  the python that imports the package (default:
#                   the test venv of scripts/venv.sh, created if missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
header=${LINREG_HEADER:-include/linreg.h}
library=${LINREG_LIBRARY:-build/lib/liblinreg.so}
library_abs=$(cd "$(dirname "$library")" 2>/dev/null && pwd)/$(basename "$library")
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

# CLinReg uses LinReg's `package` declarations: compile it as a member of the
# same package, under the name SwiftPM gave the scratch build.
package_name=$(grep -o '"-package-name","[^"]*"' "$scratch"/debug.yaml 2>/dev/null | head -1 | cut -d'"' -f4)
[ -n "$package_name" ] || fail "could not read the package name of the scratch build ($scratch/debug.yaml)"

mapfile -t clinreg_sources < <(find Sources/CLinReg -name '*.swift' | sort)
[ "${#clinreg_sources[@]}" -gt 0 ] || fail "no Swift sources in Sources/CLinReg"
if ! swiftc -typecheck -parse-as-library -swift-version 6 -module-name CLinReg -package-name "$package_name" -I "$modules" -I Sources/LinRegPrefetch/include \
     -emit-clang-header-path "$work/CLinReg.h" "${clinreg_sources[@]}" > "$work/swiftc.log" 2>&1; then
  cat "$work/swiftc.log" >&2
  fail "swiftc could not generate the C header of Sources/CLinReg"
fi

# ---- 3. Constants: Swift raw values, library and Python package versions ----
# A small program compiled with Sources/CLinReg against the LinReg objects of
# the scratch build prints the raw values the Swift compiler gives the enums
# that mirror the header's (Status, Parameter, SolverKind, StatisticKind,
# CoefficientStatisticKind) and LibraryVersion.
mkdir -p "$work/dump"
cat > "$work/dump/main.swift" <<'SWIFT'
import LinReg
func dump<E: CaseIterable & RawRepresentable>(_ type: E.Type, _ label: String) where E.RawValue: BinaryInteger {
    for value in E.allCases { print("\(label) \(value) \(value.rawValue)") }
}
dump(Status.self, "linreg_status")
dump(Parameter.self, "linreg_param")
dump(SolverKind.self, "linreg_solver")
dump(StatisticKind.self, "linreg_stat")
dump(CoefficientStatisticKind.self, "linreg_coef_stat")
dump(ExactSolverReport.Path.self, "linreg_solver_path")
dump(CovarianceType.self, "linreg_cov_type")
dump(InfluenceMeasure.self, "linreg_influence_measure")
print("version \(LibraryVersion.major) \(LibraryVersion.minor) \(LibraryVersion.patch)")
SWIFT
bin_path=$(swift build --scratch-path "$scratch" --show-bin-path)
engine_objects=()
for target in "$bin_path"/LinReg.build "$bin_path"/LinRegKernels*.build; do
  engine_objects+=("$target"/*.o)
done
if ! swiftc -swift-version 6 -module-name CLinRegConstants -package-name "$package_name" -I "$modules" -I Sources/LinRegPrefetch/include -o "$work/dump/constants" \
     "$work/dump/main.swift" "${clinreg_sources[@]}" "${engine_objects[@]}" > "$work/dump.log" 2>&1; then
  cat "$work/dump.log" >&2
  fail "could not build the program that prints the Swift enums' raw values"
fi
"$work/dump/constants" > "$work/swift-constants.txt" || fail "the Swift constants program failed"

# The Python package, imported as its tests import it (the test venv's
# python, bindings/python on the path, this library): every IntEnum class and
# every LINREG_* integer of every linreg module, and the version attributes.
# LINREG_CHECK_HEADER_PYTHON names another interpreter (with numpy).
python_for_package=${LINREG_CHECK_HEADER_PYTHON:-}
if [ -z "$python_for_package" ]; then
  venv=$(bash scripts/venv.sh) || fail "scripts/venv.sh could not provide the test virtual environment"
  python_for_package="$venv/bin/python"
fi
cat > "$work/python-constants.py" <<'PY'
import enum
import importlib
import json
import pkgutil
import sys

import linreg

out = {"version": getattr(linreg, "__version__", None), "enums": {}, "constants": {}, "version_numbers": {},
       "version_tuples": {}, "skipped": []}
modules = {"linreg": linreg}
for info in pkgutil.walk_packages(linreg.__path__, "linreg."):
    try:
        modules[info.name] = importlib.import_module(info.name)
    except ImportError as error:  # an optional dependency (e.g. dask) missing
        out["skipped"].append("%s (%s)" % (info.name, error))
for module_name, module in sorted(modules.items()):
    for attr, value in sorted(vars(module).items()):
        if isinstance(value, type) and issubclass(value, enum.IntEnum) and value.__module__.startswith("linreg"):
            out["enums"]["%s.%s" % (value.__module__, value.__qualname__)] = {m.name: int(m.value) for m in value}
        elif isinstance(value, bool):
            continue
        elif attr.startswith("LINREG_") and isinstance(value, int):
            out["constants"]["%s.%s" % (module_name, attr)] = value
        elif attr.endswith("VERSION_NUMBER") and isinstance(value, int):
            out["version_numbers"]["%s.%s" % (module_name, attr)] = value
        elif (attr.endswith("VERSION") and isinstance(value, tuple) and len(value) == 3
              and all(isinstance(v, int) for v in value)):
            out["version_tuples"]["%s.%s" % (module_name, attr)] = list(value)
json.dump(out, sys.stdout, indent=1, sort_keys=True)
PY
if ! PYTHONPATH="$root/bindings/python${PYTHONPATH:+:$PYTHONPATH}" LINREG_LIBRARY="$library_abs" \
     "$python_for_package" "$work/python-constants.py" > "$work/python-constants.json" 2> "$work/python.log"; then
  cat "$work/python.log" >&2
  fail "could not import the Python package linreg (bindings/python) to read its enums and version"
fi

cat > "$work/constants.py" <<'PY'
"""Compare the header's enum values and version with Swift, the library, Python and pyproject."""
import ctypes
import json
import re
import sys

header_path, swift_path, python_path, pyproject_path, library_path = sys.argv[1:6]
text = open(header_path, encoding="utf-8").read()
text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
problems = []

# ---- the header
enums = {}  # enum name -> {constant: value}
for m in re.finditer(r"typedef\s+enum\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", text, re.S):
    members = {}
    for name, value in re.findall(r"\b(LINREG_\w+)\s*=\s*(-?\d+)", m.group(2)):
        members[name] = int(value)
    enums[m.group(1)] = members
macros = dict(re.findall(r"^\s*#\s*define\s+(LINREG_VERSION_(?:MAJOR|MINOR|PATCH))\s+(\d+)\s*$", text, re.M))
if len(macros) != 3:
    problems.append("! the header lacks one of LINREG_VERSION_MAJOR/MINOR/PATCH as a plain number")
    major = minor = patch = -1
else:
    major, minor, patch = (int(macros["LINREG_VERSION_" + k]) for k in ("MAJOR", "MINOR", "PATCH"))
version = "%d.%d.%d" % (major, minor, patch)
number = major * 10000 + minor * 100 + patch
for required in ("linreg_status", "linreg_param", "linreg_solver", "linreg_stat", "linreg_coef_stat", "linreg_solver_path",
                 "linreg_influence_measure"):
    if not enums.get(required):
        problems.append("! no enum %s with explicit values in the header: the parser is broken" % required)
for name, members in enums.items():
    seen = {}
    for constant, value in members.items():
        if value in seen:
            problems.append("! %s: %s and %s share the value %d" % (name, seen[value], constant, value))
        seen[value] = constant


def prefix(members):
    """LINREG_PARAM_ for linreg_param; LINREG_ for the statuses (LINREG_OK, LINREG_E_*)."""
    names = list(members)
    common = names[0]
    for n in names[1:]:
        while not n.startswith(common):
            common = common[:-1]
    return common[:common.rfind("_") + 1] if common else ""


def key(name):
    return name.replace("_", "").lower()


# ---- Swift: case names mapped to header names (lower case, no underscores),
# with the spellings that differ on purpose.
SWIFT_ALIASES = {
    "linreg_status": {"noMemory": "NOMEM"},
    "linreg_solver": {"gradientDescent": "GD", "stochasticGradientDescent": "SGD"},
    "linreg_stat": {"adjustedR2": "ADJ_R2", "logLikelihood": "LOGLIK", "conditionNumber": "COND"},
    "linreg_coef_stat": {"standardError": "STDERR", "confidenceLow": "CI_LOW", "confidenceHigh": "CI_HIGH"},
    "linreg_solver_path": {"normalEquationsWithResidualPass": "RESIDUAL_PASS", "refinedNormalEquations": "REFINED"},
}
swift = {}
swift_version = None
for line in open(swift_path):
    parts = line.split()
    if parts[0] == "version":
        swift_version = tuple(int(p) for p in parts[1:4])
    else:
        swift.setdefault(parts[0], {})[parts[1]] = int(parts[2])
for enum_name in ("linreg_status", "linreg_param", "linreg_solver", "linreg_stat", "linreg_coef_stat", "linreg_solver_path",
                  "linreg_cov_type",
                  "linreg_influence_measure"):
    members = enums.get(enum_name, {})
    if not members:
        continue
    pre = prefix(members)
    by_key = {}
    for constant in members:
        short = constant[len(pre):]
        by_key[key(short)] = constant
        if short.startswith("E_"):
            by_key[key(short[2:])] = constant
    matched = set()
    for case, value in sorted(swift.get(enum_name, {}).items(), key=lambda kv: kv[1]):
        alias = SWIFT_ALIASES.get(enum_name, {}).get(case)
        constant = by_key.get(key(alias or case))
        if constant is None:
            problems.append("+ Swift case .%s = %d (%s) has no LINREG_ constant in the header" % (case, value, enum_name))
            continue
        matched.add(constant)
        if members[constant] != value:
            problems.append("! %s = %d in the header but Swift .%s = %d" % (constant, members[constant], case, value))
    for constant in sorted(set(members) - matched):
        problems.append("- %s = %d has no Swift case (%s)" % (constant, members[constant], enum_name))
if swift_version != (major, minor, patch):
    problems.append("! version: header %s, Swift LibraryVersion %s" % (version, ".".join(map(str, swift_version or ()))))

# ---- the library actually built
lib = ctypes.CDLL(library_path)
lib.linreg_version_string.restype = ctypes.c_char_p
lib.linreg_version_number.restype = ctypes.c_int
if lib.linreg_version_number() != number or lib.linreg_version_string().decode() != version:
    problems.append("! version: header %s (%d), %s reports %s (%d)"
                    % (version, number, library_path, lib.linreg_version_string().decode(), lib.linreg_version_number()))

# ---- Python: each IntEnum that mirrors a header enum, and LINREG_* integers
py = json.load(open(python_path))
all_constants = {c: v for members in enums.values() for c, v in members.items()}


def resolve(member, members):
    pre = prefix(members)
    for candidate in (member, pre + member, pre + "E_" + member):
        if candidate in members:
            return candidate
    return None


mirrored = set()
for cls, values in sorted(py["enums"].items()):
    scores = {name: sum(resolve(m, members) is not None for m in values) for name, members in enums.items()}
    best = max(scores, key=scores.get) if scores else None
    if not best or scores[best] * 2 < len(values):
        continue  # not a mirror of a header enum
    members = enums[best]
    mirrored.add(best)
    found = set()
    for member, value in sorted(values.items()):
        constant = resolve(member, members)
        if constant is None:
            problems.append("+ Python %s.%s = %d has no constant in the header's %s" % (cls, member, value, best))
            continue
        found.add(constant)
        if members[constant] != value:
            problems.append("! %s = %d in the header but Python %s.%s = %d"
                            % (constant, members[constant], cls, member, value))
    for constant in sorted(set(members) - found):
        problems.append("- %s = %d is missing from Python %s" % (constant, members[constant], cls))
constants_by_enum = {}
for qualified, value in sorted(py["constants"].items()):
    constant = qualified.rsplit(".", 1)[1]
    if constant not in all_constants:
        continue
    for name, members in enums.items():
        if constant in members:
            constants_by_enum.setdefault(name, set()).add(constant)
    if all_constants[constant] != value:
        problems.append("! %s = %d in the header but Python %s = %d" % (constant, all_constants[constant], qualified, value))
for name, members in enums.items():
    if constants_by_enum.get(name) == set(members):
        mirrored.add(name)
for name in sorted(set(enums) - mirrored):
    problems.append("- the Python package mirrors no enum %s (an IntEnum, or LINREG_* integers for all of it)" % name)
if py["version"] != version:
    problems.append("! version: header %s, Python linreg.__version__ %r" % (version, py["version"]))
for qualified, value in py["version_numbers"].items():
    if value != number:
        problems.append("! version: header %d, Python %s = %d" % (number, qualified, value))
for qualified, value in py["version_tuples"].items():
    if tuple(value) != (major, minor, patch):
        problems.append("! version: header %s, Python %s = %s" % (version, qualified, tuple(value)))

# ---- pyproject.toml: [project] version
project = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", open(pyproject_path).read(), re.M | re.S)
pyversion = re.search(r'^version\s*=\s*"([^"]*)"', project.group(1), re.M) if project else None
if not pyversion or pyversion.group(1) != version:
    problems.append("! version: header %s, %s [project] version %s"
                    % (version, pyproject_path, repr(pyversion.group(1)) if pyversion else "missing"))

if problems:
    print("check-header: constants of %s DISAGREE:" % header_path)
    for p in problems:
        print(p)
    print("check-header: %d constant mismatch(es)" % len(problems))
    sys.exit(1)
print("check-header: OK: %d enum constants and version %s agree with Swift, %s, the Python package (%s) and %s"
      % (len(all_constants), version, library_path, ", ".join(sorted(py["enums"])), pyproject_path))
PY

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
  local status=0
  python3 "$work/compare.py" "$1" "$work/CLinReg.h" "$2" "$library" || status=1
  python3 "$work/constants.py" "$1" "$work/swift-constants.txt" "$work/python-constants.json" \
    bindings/python/pyproject.toml "$library_abs" || status=1
  return $status
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
sed -E 's/LINREG_STAT_RSS = [0-9]+/LINREG_STAT_RSS = 15/' "$header" > "$m"
expect_mismatch "statistic value changed (Swift)" "! LINREG_STAT_RSS = 15 in the header but Swift .rss = " "$m" "$work/nm.txt"
expect_mismatch "statistic value changed (Python)" "! LINREG_STAT_RSS = 15 in the header but Python " "$m" "$work/nm.txt"
sed -E 's/LINREG_E_IO = [0-9]+/LINREG_E_IO = 12/' "$header" > "$m"
expect_mismatch "status value changed (Swift)" "! LINREG_E_IO = 12 in the header but Swift .io = " "$m" "$work/nm.txt"
expect_mismatch "status value changed (Python)" "! LINREG_E_IO = 12 in the header but Python " "$m" "$work/nm.txt"
sed -E 's/LINREG_PARAM_RCOND = /LINREG_PARAM_FROBNICATE = 99, LINREG_PARAM_RCOND = /' "$header" > "$m"
expect_mismatch "parameter added (Swift)" "- LINREG_PARAM_FROBNICATE = 99 has no Swift case" "$m" "$work/nm.txt"
expect_mismatch "parameter added (Python)" "- LINREG_PARAM_FROBNICATE = 99 is missing from Python " "$m" "$work/nm.txt"
sed -E 's/^(#define LINREG_VERSION_MINOR )[0-9]+$/\1987/' "$header" > "$m"
expect_mismatch "version changed (Swift)" ", Swift LibraryVersion " "$m" "$work/nm.txt"
expect_mismatch "version changed (library)" " reports " "$m" "$work/nm.txt"
expect_mismatch "version changed (Python)" ", Python linreg.__version__ " "$m" "$work/nm.txt"
expect_mismatch "version changed (pyproject)" "pyproject.toml [project] version " "$m" "$work/nm.txt"
if [ "$selftest_failed" -ne 0 ]; then
  fail "self-test failed: the check misses a mismatch"
fi
echo "check-header: self-test passed: every mutation was caught"
