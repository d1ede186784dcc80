#!/bin/sh
# deps.sh NEED:PACKAGE... installs the Debian package for every NEED that is
# missing (a command name, or an absolute path of a file the package
# installs), with apt-get when run as root; otherwise it names the packages
# and fails.
missing=""
for pair in "$@"; do
	need=${pair%%:*}
	pkg=${pair#*:}
	case $need in
	/*) [ -e "$need" ] && continue ;;
	*) command -v "$need" >/dev/null 2>&1 && continue ;;
	esac
	case " $missing " in
	*" $pkg "*) ;;
	*) missing="$missing $pkg" ;;
	esac
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
