#!/usr/bin/env bash
# Refresh the vendored front-end assets under static/vendor from the npm registry.
# Run it when bumping a version in package.json, then commit static/vendor: the
# product never fetches assets at run time (government intranets have no internet).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
nm="$work/node_modules"
out=static/vendor
rm -rf "$out"
mkdir -p "$out/bootstrap" "$out/bootstrap-icons/fonts" "$out/htmx"
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/css/bootstrap.min.css.map" "$out/bootstrap/"
cp "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$nm/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$out/bootstrap/"
cp "$nm/bootstrap/LICENSE" "$out/bootstrap/LICENSE"
cp "$nm/bootstrap-icons/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$nm/bootstrap-icons/font/fonts/"bootstrap-icons.woff* "$out/bootstrap-icons/fonts/"
cp "$nm/bootstrap-icons/LICENSE" "$out/bootstrap-icons/LICENSE"
cp "$nm/htmx.org/dist/htmx.min.js" "$out/htmx/"
cp "$nm/htmx.org/LICENSE" "$out/htmx/LICENSE"
# Leaflet and Leaflet.draw go where django-leaflet's template tags look for them
# (static/leaflet/...), so ours win over the copies inside the django-leaflet package.
lf=static/leaflet
rm -rf "$lf"
mkdir -p "$lf/images" "$lf/draw/images"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.js.map" "$nm/leaflet/dist/leaflet.css" "$lf/"
cp "$nm/leaflet/dist/images/"*.png "$lf/images/"
cp "$nm/leaflet/LICENSE" "$lf/LICENSE"
cp "$nm/leaflet-draw/dist/leaflet.draw.js" "$nm/leaflet-draw/dist/leaflet.draw.css" "$lf/draw/"
cp "$nm/leaflet-draw/dist/images/"* "$lf/draw/images/"
# The leaflet-draw package ships no LICENSE file; record the licence its package.json declares.
node -p "'Leaflet.draw ' + require('$nm/leaflet-draw/package.json').version + ' is licensed ' + require('$nm/leaflet-draw/package.json').license + ' (https://github.com/Leaflet/Leaflet.draw).'" > "$lf/draw/LICENSE"
for pkg in bootstrap bootstrap-icons htmx.org leaflet leaflet-draw; do
  printf '%s %s\n' "$pkg" "$(node -p "require('$nm/$pkg/package.json').version")"
done > "$out/VERSIONS"
echo "vendored into $out:"; cat "$out/VERSIONS"
