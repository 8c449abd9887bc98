#!/usr/bin/env bash
# examples/check_embed.sh EMBED: runs the embedding example (examples/embed.cc) and compares its
# output line by line with the expected text below. Backtrace lines are patterns (extended
# regular expressions), since byte offsets depend on the text-to-binary encoding; every other
# line must match exactly. Prints the differences and exits 1 on a mismatch.
set -uo pipefail
embed=$1

out=$("$embed" 2>&1)
rc=$?
if [ "$rc" != 0 ]; then
  echo "FAIL: $embed exited with $rc; output:"
  echo "$out"
  exit 1
fi

# One line of expected output per entry; entries starting with "re:" are patterns.
expected=(
  'guest says: summing squares'
  'sum_squares(10) = 385'
  'mean(385, 10) = 38'
  'mean(385, 0) failed: integer divide by zero'
  'wasm backtrace:'
  're:^ +0: 0x[0-9a-f]+ - guest\.wat!<wasm function 3>$'
  're:^ +1: 0x[0-9a-f]+ - guest\.wat!<wasm function 4>$'
  'trap code is IntegerDivideByZero: yes'
)

mapfile -t lines <<<"$out"
failures=0
if [ "${#lines[@]}" != "${#expected[@]}" ]; then
  echo "FAIL: ${#lines[@]} lines of output, expected ${#expected[@]}"
  failures=1
fi
for i in "${!expected[@]}"; do
  want=${expected[$i]}
  got=${lines[$i]-<missing>}
  if [[ $want == re:* ]]; then
    [[ $got =~ ${want#re:} ]] && continue
  elif [ "$got" == "$want" ]; then
    continue
  fi
  echo "FAIL line $((i + 1)): got '$got', expected '${want#re:}'"
  failures=1
done
if [ "$failures" != 0 ]; then
  echo "full output:"
  echo "$out"
  exit 1
fi
echo "ok: ${#expected[@]} lines as expected"
