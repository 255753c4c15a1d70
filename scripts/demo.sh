#!/usr/bin/env bash
# A short tour of Dialward on the embedded default (SQLite): creates a data directory, adds a
# campaign, a consent, a do-not-call entry and a registry, and prints a few gate decisions.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DIALWARD_DEMO_DIR:-$(mktemp -d -t dialward-demo-XXXXXX)}"
export DIALWARD_DATA="$DATA"
unset DIALWARD_DATABASE_URL
dw() { echo "\$ dialward $*" >&2; ./bin/dialward "$@"; }

echo "== Dialward demo: data directory $DATA"
dw init
dw campaign add --id spring-sale --seller "Acme Retail" --purpose marketing --dialing autodialed
dw consent grant --phone "(305) 200-0001" --seller "Acme Retail" --kind written --at 2026-11-01T15:04:05Z \
  --disclosure "By checking this box I agree that Acme Retail may call me with autodialed marketing calls. Consent is not a condition of purchase." \
  --source "https://acme.example/signup" --ip 203.0.113.7 --user-agent "Mozilla/5.0 (demo)"
dw dnc add --phone "+1 305 200 0002" --at 2026-11-10T09:00:00Z --source "agent note: asked not to be called"
printf '305,2000003\n305,2000004\n' > "$DATA/us-national-sample.txt"
dw registry import --registry us-national --file "$DATA/us-national-sample.txt" --as-of 2026-11-25

AT=2026-12-01T18:00:00Z
echo
echo "== Decisions at $AT (13:00 in Miami)"
for phone in "305-200-0001" "305-200-0002" "305-200-0003" "+1 305 100 0000"; do
  dw check --campaign spring-sale --phone "$phone" --at "$AT"
  echo
done
echo "== The same decision as the JSON a dialer reads"
dw check --campaign spring-sale --phone "305-200-0001" --at 2026-12-01T02:30:00Z --json
echo
echo "Done. The data directory $DATA holds the encrypted store (dialward.db) and its keyring (keyring.json, mode 0600)."
