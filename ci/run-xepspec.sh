#!/bin/sh
# xepspec in your own CI: run the conformance suite against the XMPP server
# your job started, with your targets file and your known failures, and
# write the reports into one folder. Any CI that runs a shell can use it;
# ci/github/action.yml calls exactly this script.
#
# Environment (all optional but XEPSPEC_TARGET):
#   XEPSPEC_TARGET          the target's name in the targets file
#   XEPSPEC_TARGETS_FILE    the targets file (default: xepspec.toml)
#   XEPSPEC_KNOWN_FAILURES  your known-failures file (default: the targets
#                           file's `known_failures` key, if any)
#   XEPSPEC_REPORT          the report folder (default: report)
#   XEPSPEC_ARGS            more arguments for `xepspec run` (e.g. --filter)
#   XEPSPEC                 the xepspec binary (default: xepspec on PATH)
#
# Exit status, as `xepspec run` gives it: 0 nothing regressed, 1 a case
# failed that is not a known failure (or a known failure passed), 2 a usage
# error (no accounts, a certificate refused, an unreachable server, a bad
# file), found before any case runs. Nothing is written outside the report
# folder.
set -eu

: "${XEPSPEC_TARGET:?set XEPSPEC_TARGET to the target's name in your targets file}"
xepspec="${XEPSPEC:-xepspec}"
targets_file="${XEPSPEC_TARGETS_FILE:-xepspec.toml}"
report="${XEPSPEC_REPORT:-report}"

set -- run --targets-file "$targets_file" --target "$XEPSPEC_TARGET" \
  --report "$report" --events "$report/events.jsonl"
if [ -n "${XEPSPEC_KNOWN_FAILURES:-}" ]; then
  set -- "$@" --known-failures "$XEPSPEC_KNOWN_FAILURES"
fi
# Word splitting of XEPSPEC_ARGS is wanted: it holds several arguments.
# shellcheck disable=SC2086
exec "$xepspec" "$@" ${XEPSPEC_ARGS:-}
