#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: the RISC-V cross compiler
# and picolibc (to build the test guests), QEMU (the oracle), dtc (device-tree checks), gdb-multiarch
# (the oracle for debug information), chromium (the timeline webview's browser tests; playwright-core
# drives it and never downloads one); then code-server for the end-to-end test in a real VS Code
# (ensure-code-server.sh).
# Needs root (apt-get); otherwise it names what to install and fails.
set -euo pipefail

need=()
command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 || need+=(gcc-riscv64-unknown-elf)
[ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ] || need+=(picolibc-riscv64-unknown-elf)
command -v qemu-system-riscv32 >/dev/null 2>&1 || need+=(qemu-system-misc)
command -v dtc >/dev/null 2>&1 || need+=(device-tree-compiler)
command -v gdb-multiarch >/dev/null 2>&1 || need+=(gdb-multiarch)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-deps: the tests need these Debian packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "ensure-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$(dirname "$0")/ensure-code-server.sh"
