#!/usr/bin/env bash
# Mutation scores of a generated full service's security modules, one file at a time.
#
#   bench/mutation.sh [target] [file...]
#
# Generates a full service (app + rbac + webhooks with three sources + auth with passkeys and
# impersonation) into target (default .bench-out/mutation), then runs its `npm run
# test:mutation` configuration (stryker.config.js) on one file at a time, with one Stryker
# runner (a shared 2-core machine; raise --concurrency on a quiet one), and prints each file's
# verdict from scripts/mutation-score.js. Files default to every SECURITY_MODULES entry of the
# service. Slow: minutes to most of an hour per file. Never part of .ci/run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${1:-$ROOT/.bench-out/mutation}
shift || true
export PATH="$(sh "$ROOT/scripts/node-24.sh"):$PATH"
cd "$ROOT" && npm run build >/dev/null
rm -rf "$T"
node bin/bulwark.js new "$T" --yes --json >/dev/null
node bin/bulwark.js generate rbac --cwd "$T" --yes --json >/dev/null
node bin/bulwark.js generate webhooks --cwd "$T" --yes --json \
  --set 'sources=[{"name":"stripe","preset":"stripe"},{"name":"github","preset":"github"},{"name":"partner","preset":"standard-webhooks"}]' >/dev/null
node bin/bulwark.js generate auth --cwd "$T" --yes --json --set passkeys=true --set impersonation=true >/dev/null
ln -s "$ROOT/node_modules" "$T/node_modules"
cd "$T"
FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
  mapfile -t FILES < <(node -e "import('./stryker.config.js').then(c => c.SECURITY_MODULES.forEach(m => console.log(m.file)))")
fi
for FILE in "${FILES[@]}"; do
  name=$(echo "$FILE" | tr / _)
  start=$(date +%s)
  mkdir -p reports/mutation
  npx stryker run --mutate "$FILE" --concurrency 1 --force >"reports/$name.log" 2>&1 || true
  cp reports/mutation/mutation.json "reports/mutation/$name.json"
  echo "$FILE: $(( $(date +%s) - start )) s"
  node scripts/mutation-score.js "reports/mutation/$name.json" | grep -E "^(ok  |FAIL) $FILE|^  .*$FILE" || true
done
