#!/usr/bin/env bash
# Installs everything the project needs, then runs every check and every test suite.
# Ends with the plain line "N passed, N failed" counting every test that ran (vitest + pytest).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.test-out"
rm -rf "$out" && mkdir -p "$out"

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/setup-python.sh || { echo "python setup failed"; echo "0 passed, 1 failed"; exit 1; }

checks_failed=0
run_check() {
  local name=$1; shift
  if "$@" >"$out/$name.log" 2>&1; then echo "check $name: ok"; else
    echo "check $name: FAILED"; tail -n 40 "$out/$name.log"; checks_failed=$((checks_failed + 1)); fi
}
run_check typecheck npx tsc -p tsconfig.json --noEmit
run_check lint npx eslint .
run_check format npx prettier --check .

npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json"
vitest_rc=$?

py_passed=0; py_failed=0; py_rc=0
if [ -d python/tests ] && [ -x .venv/bin/python ]; then
  .venv/bin/python -m pytest python/tests -q --junitxml="$out/pytest.xml"
  py_rc=$?
  [ "$py_rc" -eq 5 ] && py_rc=0 # pytest: no tests collected is not a failure of the run
  if [ -f "$out/pytest.xml" ]; then
    read -r py_passed py_failed < <(node -e '
      const x = require("fs").readFileSync(process.argv[1], "utf8");
      const m = /<testsuite\s[^>]*>/.exec(x)[0]; const a = (k) => Number((new RegExp(k + "=\"(\\d+)\"").exec(m) || [0, 0])[1]);
      console.log(a("tests") - a("failures") - a("errors") - a("skipped"), a("failures") + a("errors"));' "$out/pytest.xml")
  fi
fi

read -r v_passed v_failed v_skipped < <(node -e '
  try { const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites || 0), r.numPendingTests + (r.numTodoTests || 0)); }
  catch { console.log(0, 1, 0); }' "$out/vitest.json")

passed=$((v_passed + py_passed))
failed=$((v_failed + py_failed))
[ "$checks_failed" -gt 0 ] && echo "$checks_failed check(s) failed (typecheck, lint or format)"
echo "$passed passed, $failed failed, $v_skipped skipped"
if [ "$vitest_rc" -ne 0 ] || [ "$py_rc" -ne 0 ] || [ "$checks_failed" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
