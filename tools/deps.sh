#!/bin/sh
# deps.sh CMD:PACKAGE... installs the Debian package of every command that
# is missing, with apt-get when run as root; otherwise it names the packages
# and fails.
missing=""
for pair in "$@"; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || {
		echo "deps: apt-get install$missing failed" >&2; exit 1; }
	exit 0
fi
echo "deps: missing Debian packages:$missing; install them (sudo apt-get install$missing) and run make again" >&2
exit 1
