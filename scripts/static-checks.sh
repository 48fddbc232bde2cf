#!/bin/sh
# The type check beside the lint and format checks: each is single-threaded, so on CI's two
# cores the three take the time of the longer side (about 20 s), not their sum (about 35 s).
# tsc's messages are held back and printed after the others', so that the two never interleave.
types_out=$(mktemp)
tsc -p tsconfig.json --noEmit >"$types_out" 2>&1 &
types_pid=$!
eslint . && prettier --check .
lint=$?
wait "$types_pid"
types=$?
cat "$types_out"
rm -f "$types_out"
[ "$types" -eq 0 ] || echo "type check failed (tsc -p tsconfig.json --noEmit)"
[ "$lint" -eq 0 ] && [ "$types" -eq 0 ]
