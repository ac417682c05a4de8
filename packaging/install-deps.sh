#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing (GUI tests included), fuzzing and
# packaging Lens Atlas need. Idempotent: when everything is present it only checks, in about
# a second, and does not touch apt.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev qt6-svg-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins
  libeigen3-dev libarmadillo-dev libopenblas-dev liblapack-dev libzip-dev zip unzip
  libfftw3-dev
  nlohmann-json3-dev libboost-math-dev ccache poppler-utils
  xvfb xauth x11-utils imagemagick fonts-dejavu-core libgl1-mesa-dri libxkbcommon-dev
  dpkg-dev file desktop-file-utils appstream
  clang-14 libfuzzer-14-dev libclang-rt-14-dev libomp-14-dev
)
# clang-14 + libfuzzer-14-dev + libclang-rt-14-dev: the `fuzz` preset (libFuzzer, ASan, UBSan);
# libomp-14-dev: LLVM's OpenMP runtime and its TSan tool libarcher for the `tsan` preset.

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
