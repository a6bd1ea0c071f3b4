#!/usr/bin/env bash
# One run of tap-kustomer into a Singer target, for cron. It keeps the state the target confirmed
# (every STATE the tap prints is safe to resume from, whatever happened after it), and exits with
# the tap's code when the tap failed, else the target's: 3 when some streams failed and the others
# completed, so cron mails you while the next run still resumes every stream.
#   KUSTOMER_DIR  the folder with config.json, catalog.json, state.json (default /srv/kustomer)
#   TARGET        the target's command (default ~/venvs/target-postgres/bin/target-postgres)
#   TAP           the tap's command (default tap-kustomer)
set -uo pipefail
cd "${KUSTOMER_DIR:-/srv/kustomer}" || exit 1
TARGET=${TARGET:-$HOME/venvs/target-postgres/bin/target-postgres}
TAP=${TAP:-tap-kustomer}
state=()
[ -s state.json ] && state=(--state state.json)
$TAP --config config.json --catalog catalog.json "${state[@]}" 2>> tap.log \
  | $TARGET --config target_config.json > state.out
codes=("${PIPESTATUS[@]}")
if [ "${codes[1]}" = 0 ] && [ -s state.out ]; then
  tail -n 1 state.out > state.json.new && mv state.json.new state.json
fi
[ "${codes[0]}" != 0 ] && exit "${codes[0]}"
exit "${codes[1]}"
