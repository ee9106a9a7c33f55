#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (the zip is unpacked in /autograder/source; tools/course gradescope made it).
# It installs the Debian packages tools/course installs, builds the course's
# grader and suites, and keeps the solutions away from the submissions' user.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/classroom.conf"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # the package list is split on purpose
apt-get install -y -qq --no-install-recommends $PAPAYA_PACKAGES
# The submissions' code is built and run as this user, never as root.
id -u papaya-grader >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin papaya-grader
course="$here/course"
cmake -S "$course" -B "$course/build/autograder" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPAPAYA_SERVER_VARIANTS=OFF
cmake --build "$course/build/autograder" --target papaya_grade papaya_given
# What gives the answers away (the solution files and their explanations, the
# mutants' FIND/REPLACE texts, the reveal decks) is root's alone from now on:
# a submission that includes or prints them finds nothing.
chmod -R go-rwx "$course/solutions" "$course/tests/mutants" "$course/slides"
