#!/usr/bin/env bash
# System packages the test suite uses: headless Chromium (report rendering test) and Java (PySpark local mode).
# Installs them with apt where we may (root, or passwordless sudo); otherwise says which tests will skip.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
((${#need[@]})) || exit 0
if [[ $(id -u) -eq 0 ]]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "system-deps: not root; missing ${need[*]}: the browser/Spark tests will be skipped" >&2; exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get; missing ${need[*]}: the browser/Spark tests will be skipped" >&2; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
