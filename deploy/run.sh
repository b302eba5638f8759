#!/usr/bin/env bash
# Installs what is missing, builds Release into build/, and starts one chatd
# node in the foreground with its SQLite database in data/chat.db.
# Any arguments go to chatd (try: deploy/run.sh --help).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing "${CHATD_PACKAGES[@]}"
build_tree "$CHATD_ROOT/build" Release
cd "$CHATD_ROOT"
exec ./build/chatd "$@"
