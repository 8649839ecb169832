#!/usr/bin/env bash
# Installs the Debian 12 packages Diemcau needs to build, run and test.
# Installs only what is missing, so a second run costs a few seconds.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev clang-format lld
  libnice-dev libssl-dev libsrtp2-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-nice gstreamer1.0-tools gstreamer1.0-libav gstreamer1.0-plugins-ugly
  libboost-program-options-dev libboost-dev nlohmann-json3-dev libsqlite3-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  iproute2 nftables openssl
  gstreamer1.0-plugins-base-apps gstreamer1.0-x
)
if [ "${DIEMCAU_WITH_BROWSER:-0}" = 1 ]; then
  packages+=(chromium nodejs npm firefox-esr)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs may come from another origin that already ships npm.
if [ "${#missing[@]}" -gt 0 ] && command -v npm >/dev/null; then
  filtered=(); for p in "${missing[@]}"; do [ "$p" = npm ] || [ "$p" = nodejs ] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
