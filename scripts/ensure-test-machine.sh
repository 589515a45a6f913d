#!/usr/bin/env bash
# What the tests need from the machine beside node_modules: Debian's Chromium (the browser tests
# and the PDF export), Chinese fonts — 宋体 (AR PL UMing), 楷体 (AR PL UKai) and 黑体 (WenQuanYi
# Zen Hei) for the published pages, Noto CJK for the editor — and the PostgreSQL 15 and Redis servers that
# tests/support starts on loopback. Installs whichever are missing with apt (as root, or through
# sudo); does nothing when all are there.
set -euo pipefail

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# Read once: `grep -q` stopping early would fail a pipe under pipefail.
fonts="$(fc-list 2>/dev/null || true)"
grep -q NotoSansCJK <<<"$fonts" || missing+=(fonts-noto-cjk)
grep -q uming <<<"$fonts" || missing+=(fonts-arphic-uming)
grep -q ukai <<<"$fonts" || missing+=(fonts-arphic-ukai)
grep -qi wqy-zenhei <<<"$fonts" || missing+=(fonts-wqy-zenhei)
# By the binaries tests/support runs: on Debian 12 `postgresql` brings PostgreSQL 15. Installing
# it also creates the `postgres` user, which runs the server when the tests run as root.
[ -x "${POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}/postgres" ] || missing+=(postgresql)
[ -x "${REDIS_SERVER_PATH:-/usr/bin/redis-server}" ] || missing+=(redis-server)
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "installing what the tests need: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
