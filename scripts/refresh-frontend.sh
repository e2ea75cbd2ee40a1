#!/usr/bin/env bash
# Refreshes the vendored NHS.UK frontend in static/vendor/nhsuk-frontend from the npm package
# pinned in package.json. Run by `make frontend`; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."

npm install --no-audit --no-fund --no-save
source_dir=node_modules/nhsuk-frontend/dist/nhsuk
target_dir=static/vendor/nhsuk-frontend
version=$(node -p "require('./node_modules/nhsuk-frontend/package.json').version")

rm -rf "$target_dir"
mkdir -p "$target_dir"
cp "$source_dir/nhsuk-frontend.min.css" "$source_dir/nhsuk-frontend.min.js" "$target_dir/"
cp "$source_dir/nhsuk-frontend.min.css.map" "$source_dir/nhsuk-frontend.min.js.map" "$target_dir/" 2>/dev/null || true
cp -R "$source_dir/assets" "$target_dir/assets"
echo "$version" > "$target_dir/VERSION"
echo "Vendored nhsuk-frontend $version into $target_dir"
