#!/usr/bin/env bash
# Checks that the shipped library runs on any x86-64 CPU: every function whose
# machine code uses AVX registers (ymm/zmm) must belong to the AVX2 or AVX-512
# kernel modules (which LinReg calls only after checking the CPU; see
# Sources/LinReg/Passes/KernelDispatch.swift), and zmm only to AVX-512's.
# A same-named specialisation emitted by several kernel modules would be merged
# by the linker and break this; the kernels' InstructionSetTag prevents it.
#
# Usage: scripts/check-kernel-isa.sh [path/to/liblinreg.so]
set -euo pipefail
lib=${1:-build/lib/liblinreg.so}
[ "$(uname -m)" = x86_64 ] || { echo "check-kernel-isa: not x86-64, nothing to check"; exit 0; }
demangle() { if command -v swift >/dev/null; then swift demangle --compact; else cat; fi; }
listing=$(objdump -d --no-show-raw-insn "$lib" | awk '
  /^[0-9a-f]+ <.*>:$/ { name = $0; sub(/^[0-9a-f]+ </, "", name); sub(/>:$/, "", name); next }
  /%zmm/ { zmm[name] = 1 }
  /%ymm/ { ymm[name] = 1 }
  END { for (f in zmm) print "zmm " f; for (f in ymm) if (!(f in zmm)) print "ymm " f }')
bad=0; n512=0; n2=0
while read -r kind name; do
  [ -n "$kind" ] || continue
  full=$(printf '%s\n' "$name" | demangle)
  if [[ "$name" == *LinRegKernelsAVX512* || "$full" == *LinRegKernelsAVX512* ]]; then
    n512=$((n512 + 1))
  elif [[ "$kind" == ymm && ( "$name" == *LinRegKernelsAVX2* || "$full" == *LinRegKernelsAVX2* ) ]]; then
    n2=$((n2 + 1))
  else
    echo "check-kernel-isa: $kind instructions outside the AVX kernels: $full"; bad=1
  fi
done <<< "$listing"
if [ "$n512" -eq 0 ] || [ "$n2" -eq 0 ]; then
  echo "check-kernel-isa: AVX kernels missing ($n512 AVX-512, $n2 AVX2 functions)"; bad=1
fi
[ "$bad" -eq 0 ] || exit 1
echo "check-kernel-isa: $n512 AVX-512 and $n2 AVX2 kernel functions; no AVX instruction anywhere else"
