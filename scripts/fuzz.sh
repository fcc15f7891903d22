#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan, in build-fuzz/) and runs each one
# for a bounded time, starting from its kept corpus and regressions.
#   scripts/fuzz.sh                 every target for 10 minutes (offline use)
#   scripts/fuzz.sh 20              every target for 20 seconds (what CI runs)
#   scripts/fuzz.sh 300 csv forecast   the named targets only
# New interesting inputs go to build-fuzz/corpus/<target>/ (not into the repository; copy the good
# ones to fuzz/corpus/<target>/ by hand). A crash stops the run with exit 1 and leaves the input in
# build-fuzz/crashes/<target>/: fix the bug, then keep the input in fuzz/regressions/<target>/,
# where the normal test run replays it (ctest -L fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(csv person_json input_fields id_number eligibility xlsx_reader forecast)
fi
build=${FUZZ_BUILD:-build-fuzz}

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJD_FUZZ=ON \
  -DJD_BENCH=OFF > /dev/null
cmake --build "$build" --target fuzzers

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# One target per core at a time; each writes its verdict to $build/<target>.verdict.
fuzz_one() {
  local t=$1 start=$SECONDS
  mkdir -p "$build/corpus/$t" "$build/crashes/$t"
  # -timeout: one input taking longer than 10 s is a hang; -rss_limit_mb guards against blow-ups.
  if "$build/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/crashes/$t/" "$build/corpus/$t" \
      "fuzz/corpus/$t" "fuzz/regressions/$t" > "$build/$t.log" 2>&1; then
    echo "fuzz $t: $((SECONDS - start)) s, 0 crashes ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$build/$t.log" | grep -o '[0-9]*$') runs)"
  else
    echo "fuzz $t: FAILED after $((SECONDS - start)) s; input kept in $build/crashes/$t/"
    tail -n 40 "$build/$t.log"
    return 1
  fi
}
jobs_max=$(nproc)
declare -A running=()
failed=()
reap() {  # waits for one target to end and notes a failure
  local pid status=0 name
  wait -n -p pid || status=$?
  for name in "${!running[@]}"; do
    if [[ ${running[$name]} == "$pid" ]]; then
      ((status == 0)) || failed+=("$name")
      unset "running[$name]"
    fi
  done
}
for t in "${targets[@]}"; do
  while ((${#running[@]} >= jobs_max)); do reap; done
  fuzz_one "$t" &
  running[$t]=$!
done
while ((${#running[@]})); do reap; done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]}"
  exit 1
fi
