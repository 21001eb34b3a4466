#!/usr/bin/env bash
# Installs what Fairlead needs to build, test and run on Debian 12.
# Idempotent: when everything is present it returns in a second.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libjson-glib-dev libsqlite3-dev sqlite3
  libgtk-4-dev libadwaita-1-dev
  libzbar-dev zbar-tools libqrencode-dev libgdk-pixbuf-2.0-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  libcurl4-openssl-dev libssl-dev libsoup-3.0-dev libsecret-1-dev glib-networking openssl
  libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-deu libcrypt-dev
  libavahi-client-dev libavahi-glib-dev
  # tests (GnuTLS checks the Dynamics assertion that libcrypto signs; Pango draws the cards)
  libgnutls28-dev libpango1.0-dev
  xvfb xauth xdotool x11-xkb-utils xkb-data imagemagick desktop-file-utils appstream libx11-dev
  python3 ca-certificates clang faketime
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
