#!/bin/sh
# The system packages the test suite uses, by their Debian/Ubuntu names. `make test` runs
# this first: it installs whatever is missing when it can (root with apt-get, as
# `make run` does for Qt's xcb libraries), and otherwise stops at once with the one line
# to run. tests/conftest.py's need_tool() says the same line for a single missing tool.
set -u

missing=""
want() { # want PACKAGE: add it to the list of missing packages
	case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac
}
check() {
	missing=""
	command -v age >/dev/null 2>&1 || want age                # decrypts bundles in tests
	command -v pdftoppm >/dev/null 2>&1 || want poppler-utils # renders PDF pages
	if [ "$(uname)" = Linux ]; then
		[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || want fonts-dejavu-core
		# Qt's offscreen platform still loads these shared libraries.
		if command -v ldconfig >/dev/null 2>&1; then
			libs=$(ldconfig -p 2>/dev/null)
			for pair in libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 \
				libfontconfig.so.1:libfontconfig1 libGL.so.1:libgl1; do
				case "$libs" in *"${pair%%:*}"*) ;; *) want "${pair#*:}" ;; esac
			done
		fi
	fi
}

check
[ -z "$missing" ] && exit 0

if [ "$(uname)" = Linux ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "make test: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq $missing >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null; }
	check
	[ -z "$missing" ] && exit 0
	# Installed in dpkg's eyes yet gone (a file removed by hand): put the files back.
	# shellcheck disable=SC2086
	apt-get install -y -qq --reinstall $missing >/dev/null 2>&1
	check
	[ -z "$missing" ] && exit 0
fi

if [ "$(uname)" = Darwin ]; then
	echo "make test needs: brew install$(echo "$missing" | sed 's/poppler-utils/poppler/')" >&2
else
	echo "make test needs system packages: sudo apt-get install$missing" >&2
fi
exit 1
