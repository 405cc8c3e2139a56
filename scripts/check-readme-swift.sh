#!/usr/bin/env bash
# The README's Swift example is Examples/swift/main.swift, character for character.
set -euo pipefail
cd "$(dirname "$0")/.."
block=$(awk '/^```swift$/{on=1; next} /^```$/{if(on){exit}} on' README.md)
if ! diff <(printf '%s\n' "$block") Examples/swift/main.swift; then
  echo "check-readme-swift: README's Swift example differs from Examples/swift/main.swift" >&2
  exit 1
fi
echo "check-readme-swift: README's Swift example is Examples/swift/main.swift"
