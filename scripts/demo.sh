#!/usr/bin/env bash
# A short tour of Dialward on the embedded default (SQLite): creates a data directory, adds a
# campaign, a consent, a do-not-call entry and a registry, and prints a few gate decisions.
#
# Every command is printed (after "$ ") exactly as it is run, so it can be copied and pasted into a
# shell as it is; the other lines start with "#". The data directory is removed at the end, unless
# DIALWARD_DEMO_DIR names one: then it is used and kept, for the printed commands to be tried on it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${DIALWARD_DEMO_DIR:-}" ]; then
  DATA="$DIALWARD_DEMO_DIR"
  KEEP=yes
else
  DATA="$(mktemp -d "${TMPDIR:-/tmp}/dialward-demo-XXXXXX")"
  KEEP=no
  trap 'rm -rf -- "$DATA"' EXIT
fi

# A word as the shell reads it back: as it is when it is plain, else in single quotes.
quote() {
  case $1 in
    '' | *[!A-Za-z0-9_./:=+,@%-]*) printf "'%s'" "${1//\'/\'\\\'\'}" ;;
    *) printf '%s' "$1" ;;
  esac
}
# Prints one command line, then runs exactly that line.
run() {
  printf '$ %s\n' "$1"
  eval "$1"
}
# Prints narration lines, each as a shell comment.
say() {
  local line
  for line in "$@"; do
    if [ -z "$line" ]; then echo '#'; else printf '# %s\n' "$line"; fi
  done
}

say "Dialward demo: data directory $DATA"
run "export PATH=$(quote "$ROOT/bin"):\"\$PATH\""
run "export DIALWARD_DATA=$(quote "$DATA")"
run 'unset DIALWARD_DATABASE_URL'
run 'dialward init'
run 'dialward campaign add --id spring-sale --seller "Acme Retail" --purpose marketing --dialing autodialed'
run 'dialward consent grant --phone "(305) 200-0001" --seller "Acme Retail" --kind written --at 2026-11-01T15:04:05Z --disclosure "By checking this box I agree that Acme Retail may call me with autodialed marketing calls. Consent is not a condition of purchase." --source "https://acme.example/signup" --ip 203.0.113.7 --user-agent "Mozilla/5.0 (demo)"'
run 'dialward dnc add --phone "+1 305 200 0002" --at 2026-11-10T09:00:00Z --source "agent note: asked not to be called"'
run "printf '305,2000003\\n305,2000004\\n' > \"\$DIALWARD_DATA/us-national-sample.txt\""
run 'dialward registry import --registry us-national --file "$DIALWARD_DATA/us-national-sample.txt" --as-of 2026-11-25'

AT=2026-12-01T18:00:00Z
say '' "Decisions at $AT (13:00 in Miami)"
for phone in "305-200-0001" "305-200-0002" "305-200-0003" "+1 305 100 0000"; do
  run "dialward check --campaign spring-sale --phone $(quote "$phone") --at $AT"
done
say '' 'The same decision as the JSON a dialer reads (02:30 UTC is 21:30 in Miami: too late)'
run 'dialward check --campaign spring-sale --phone 305-200-0001 --at 2026-12-01T02:30:00Z --json'
say '' "The data directory holds the encrypted store (dialward.db) and its keyring (keyring.json, mode 0600)."
if [ "$KEEP" = yes ]; then
  say "It is kept: $DATA"
else
  say "It is removed now (set DIALWARD_DEMO_DIR=DIR to keep one)."
fi
