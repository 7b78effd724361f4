#!/bin/bash
# json-schema-test-suite.sh: holds lib/schema against the official JSON-Schema-Test-Suite (draft 2020-12).
# Every file whose keywords casus supports must pass in full; see SCHEMA-KEYWORDS.md.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$root/$B ;; esac
# The suite comes with the project (see README.md beside this script).
suite=$root/tests/conformance/json-schema-test-suite/tests/draft2020-12
if [ ! -x "$B/tests/jsonschema-suite" ]; then
	echo "json-schema-test-suite.sh: cannot run '$B/tests/jsonschema-suite': not built" >&2
	exit 2
fi
exec "$B/tests/jsonschema-suite" "$suite"
