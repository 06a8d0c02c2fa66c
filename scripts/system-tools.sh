#!/bin/sh
# System tools grove uses when the machine has them; none is required.
# Missing ones are installed with apt-get when this user may (root, or sudo without a password)
# and SYSTEM_TOOLS is not "check"; whatever is still missing is named once, with what it disables.
# Never fails: no apt, no network or a refused install only leave the tool missing.

mode="${SYSTEM_TOOLS:-install}"

# command|Debian package|what grove does without it
TOOLS='bwrap|bubblewrap|the agents'"'"' sandbox uses process isolation (no bubblewrap walls)
chromium|chromium|the HTML export page tests skip (the export itself works)'

missing() {
  echo "$TOOLS" | while IFS='|' read -r cmd pkg why; do
    command -v "$cmd" >/dev/null 2>&1 || echo "$cmd|$pkg|$why"
  done
}

absent="$(missing)"
[ -z "$absent" ] && exit 0

if [ "$mode" != "check" ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    sudo="none"
  fi
  if [ "$sudo" != "none" ]; then
    pkgs="$(echo "$absent" | cut -d'|' -f2 | tr '\n' ' ')"
    echo "grove setup: installing $pkgs(apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if $sudo apt-get update -qq >/dev/null 2>&1; then
      # One at a time, so one package the archive lacks does not stop the others.
      for pkg in $pkgs; do
        $sudo apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 \
          || echo "grove setup: apt-get could not install $pkg"
      done
    else
      echo "grove setup: apt-get update failed (offline?); nothing installed"
    fi
    absent="$(missing)"
  fi
fi

[ -z "$absent" ] && exit 0
echo "$absent" | while IFS='|' read -r cmd pkg why; do
  echo "grove setup: $pkg missing: $why. Install it with: apt-get install $pkg"
done
exit 0
