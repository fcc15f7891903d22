#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need. Idempotent: packages already
# present are skipped, and apt is not touched at all when nothing is missing.
#   scripts/install-deps.sh            build + test + demo dependencies
#   scripts/install-deps.sh --check    list what is missing, exit 1 if anything is
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config make ccache
  # storage
  libsqlite3-dev sqlite3 libsoci-dev libboost-dev
  # HTTP, JSON, logging, CLI
  libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  # crypto (the openssl command makes the TLS test's certificate)
  libsodium-dev libssl-dev openssl
  # reports
  libxlsxwriter-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # fuzzing (fuzz/, scripts/fuzz.sh): clang and its libFuzzer, ASan and UBSan runtimes
  clang-14 libclang-rt-14-dev
  # SQL injection scan of the running server's query parameters (scripts/sqlmap-scan.sh)
  sqlmap
  # CSV reading and writing (GB18030 decoding is glibc's iconv)
  libcsv-dev
  # XLSX rosters: the archive (libzip) and its XML parts (expat)
  libzip-dev libexpat1-dev
  # the README's first steps read JSON answers with jq
  jq curl
  # statistics exchange: the tests validate the DHIS2 dataValueSets we emit against our JSON Schema
  python3-jsonschema
  # statistics reports: a test reads generated XLSX back through LibreOffice (headless, to CSV)
  libreoffice-calc-nogui
  # web application: its end-to-end test drives Debian's Chromium; Noto CJK renders the Chinese
  chromium fonts-noto-cjk
  # federation of city nodes: NATS JetStream (the server the tests start, and the C client)
  nats-server libnats-dev
)
# The web application is built with Node.js and npm (Debian 12: Node 18). A node that already
# brings its own npm (NodeSource's nodejs package bundles it and conflicts with Debian's npm) is
# used as it is.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ "${1:-}" == "--check" ]]; then
  if ((${#missing[@]})); then
    echo "missing: ${missing[*]}"
    exit 1
  fi
  echo "all dependencies present"
  exit 0
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "installing: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
