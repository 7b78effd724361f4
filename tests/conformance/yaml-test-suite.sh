#!/bin/bash
# yaml-test-suite.sh: holds the YAML document parser against the yaml-test-suite.
#
# Every case that upstream marks as an error must be rejected. Every other case that has an
# in.json and uses no anchors, aliases or tags (as libyaml's own events report them, since
# casus refuses all three) must load to the same data as in.json, as `jq -cS` would print
# both, and must survive a round trip through our YAML emitter. Cases with anchors, aliases
# or tags must be refused by casus's rule; valid cases without an in.json must load and
# round-trip, or be refused for a complex (non-scalar) key, which casus does not accept
# either. The cases that libyaml 0.2.5 itself gets wrong are listed below by id, each with its
# reason; there are no other exceptions, and one that starts to pass is reported.
# B is the build folder (default "build"), relative to the project root unless absolute.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
B=${B:-build}
case $B in
/*) load=$B/tests/yaml-load ;;
*) load=$root/$B/tests/yaml-load ;;
esac
# The suite comes with the project (see README.md beside this script).
suite=$root/tests/conformance/yaml-test-suite

if [ ! -x "$load" ]; then
	echo "yaml-test-suite: $load is not built" >&2
	exit 2
fi
if [ ! -d "$suite" ]; then
	echo "yaml-test-suite: no suite at $suite" >&2
	exit 2
fi

# Cases libyaml 0.2.5 parses differently from YAML 1.2: id, then the reason.
declare -A known=(
	[2LFX]="libyaml 0.2.5 rejects a reserved directive (%FOO) that YAML 1.2 says to ignore"
	[4MUZ/00]="libyaml 0.2.5 rejects a flow-mapping ':' on the line after its key"
	[4MUZ/01]="libyaml 0.2.5 rejects a flow-mapping ':' on the line after its key"
	[4MUZ/02]="libyaml 0.2.5 rejects a flow-mapping ':' on the line after its key"
	[58MP]="libyaml 0.2.5 rejects the plain scalar ':x' as a flow-mapping value"
	[5MUD]="libyaml 0.2.5 rejects a flow-mapping ':' on the line after its key"
	[5T43]="libyaml 0.2.5 rejects ':value' right after a quoted flow key (\"key\"::value)"
	[652Z]="libyaml 0.2.5 reads '?foo' in a flow mapping as the explicit key 'foo', not the plain scalar '?foo'"
	[6BCT]="libyaml 0.2.5 rejects a tab as the separator after '-' or ':'"
	[6CA3]="libyaml 0.2.5 rejects a tab before a top-level flow collection"
	[6LVF]="libyaml 0.2.5 rejects a reserved directive (%FOO) that YAML 1.2 says to ignore"
	[7Z25]="libyaml 0.2.5 wants '---' before a bare document that follows '...'"
	[8XYN]="libyaml 0.2.5 rejects a non-ASCII anchor name (casus refuses anchors anyway)"
	[96NN/00]="libyaml 0.2.5 rejects a tab at the start of literal block content"
	[96NN/01]="libyaml 0.2.5 rejects a tab at the start of literal block content"
	[9C9N]="libyaml 0.2.5 accepts flow sequence lines indented less than the block mapping they are in"
	[9JBA]="libyaml 0.2.5 accepts '#' with no space before it as a comment after a flow sequence"
	[9SA2]="libyaml 0.2.5 rejects a multi-line double-quoted implicit key in a flow mapping"
	[A2M4]="libyaml 0.2.5 rejects a tab as the separator after '-'"
	[BEC7]="libyaml 0.2.5 rejects '%YAML 1.3', which YAML 1.2 says to read with a warning"
	[CVW2]="libyaml 0.2.5 accepts '#' with no space before it as a comment after a comma"
	[DBG4]="libyaml 0.2.5 rejects plain scalars starting with '::' inside a flow sequence"
	[DK3J]="libyaml 0.2.5 rejects a block scalar at indentation 0 after '--- >'"
	[DK95/00]="libyaml 0.2.5 rejects a tab after the indentation of a value on its own line"
	[DK95/01]="libyaml 0.2.5 accepts a quoted-scalar continuation line indented only by a tab"
	[DK95/03]="libyaml 0.2.5 rejects a leading line holding only a space and a tab"
	[DK95/04]="libyaml 0.2.5 rejects a line holding only a tab between mapping entries"
	[EB22]="libyaml 0.2.5 accepts a %YAML directive after a document not ended by '...'"
	[FP8R]="libyaml 0.2.5 rejects a block scalar at indentation 0 after '--- >'"
	[G5U8]="libyaml 0.2.5 accepts plain '-' entries in a flow sequence"
	[HM87/00]="libyaml 0.2.5 rejects the plain scalar ':x' in a flow sequence"
	[HM87/01]="libyaml 0.2.5 reads '?x' in a flow sequence as a one-pair map, not the plain scalar '?x'"
	[HWV9]="libyaml 0.2.5 rejects a stream holding only a '...' marker"
	[JEF9/02]="libyaml 0.2.5 drops the kept line break of a '|+' scalar whose last line is only spaces"
	[K3WX]="libyaml 0.2.5 rejects a flow-mapping ':' on the line after its key and a comment"
	[L24T/01]="libyaml 0.2.5 drops the last line break of a '|' scalar ending in spaces without a newline"
	[M7A3]="libyaml 0.2.5 wants '---' before a bare document that follows '...'"
	[MUS6/00]="libyaml 0.2.5 accepts '#' with no space before it as a comment after a directive"
	[MUS6/01]="libyaml 0.2.5 accepts a %YAML directive after a document not ended by '...'"
	[MUS6/05]="libyaml 0.2.5 rejects an unknown directive (%YAM) that YAML 1.2 says to ignore"
	[MUS6/06]="libyaml 0.2.5 rejects an unknown directive (%YAMLL) that YAML 1.2 says to ignore"
	[NJ66]="libyaml 0.2.5 rejects a multi-line plain implicit key in a flow mapping"
	[Q5MG]="libyaml 0.2.5 rejects a tab before a top-level flow mapping"
	[QB6E]="libyaml 0.2.5 accepts unindented continuation lines of a quoted scalar in a block mapping"
	[QT73]="libyaml 0.2.5 rejects a stream holding only a comment and a '...' marker"
	[R4YG]="libyaml 0.2.5 rejects a tab on a leading empty line of a folded block scalar"
	[RHX7]="libyaml 0.2.5 accepts a %YAML directive after a document not ended by '...'"
	[S98Z]="libyaml 0.2.5 accepts leading empty lines more indented than a block scalar's first content line"
	[SU5Z]="libyaml 0.2.5 accepts '#' with no space before it as a comment after a quoted scalar"
	[UT92]="libyaml 0.2.5 rejects a multi-line plain implicit key in a flow mapping ('matches %')"
	[VJP3/01]="libyaml 0.2.5 rejects a flow-mapping ':' on the line after its key"
	[W4TN]="libyaml 0.2.5 rejects a block scalar at indentation 0 after '--- |' and reads its '%' line as a directive"
	[W5VH]="libyaml 0.2.5 rejects anchor names with ':@*!\$\"<>' (casus refuses anchors anyway)"
	[X4QW]="libyaml 0.2.5 accepts '#' with no space before it as a comment after a block scalar indicator"
	[Y79Y/001]="libyaml 0.2.5 rejects a line of a space and a tab inside a literal block scalar"
	[Y79Y/003]="libyaml 0.2.5 accepts a tab as indentation inside a flow sequence"
	[Y79Y/010]="libyaml 0.2.5 rejects a tab as the separator between two '-' indicators"
	[YJV2]="libyaml 0.2.5 accepts a plain '-' in a flow sequence"
	# Valid cases without an in.json (their data has null keys JSON cannot hold).
	[2JQS]="libyaml 0.2.5 rejects empty implicit keys in a block mapping (': a')"
	[4ABK]="libyaml 0.2.5 rejects a flow-mapping key with its value left out ('omitted value:,')"
	[CFD4]="libyaml 0.2.5 rejects an empty implicit key in a flow sequence pair ('[ : empty key ]')"
	[FRK4]="libyaml 0.2.5 rejects a flow-mapping entry with its value left out ('? foo :,')"
	[NHX8]="libyaml 0.2.5 rejects an empty implicit key in a block mapping (':')"
	[NKF9]="libyaml 0.2.5 rejects empty implicit keys in block and flow mappings"
	[S3PD]="libyaml 0.2.5 rejects an empty implicit key in a block mapping (': # Both empty')"
	[SM9W/01]="libyaml 0.2.5 rejects an empty implicit key in a block mapping (':')"
	[UKK6/00]="libyaml 0.2.5 rejects an empty implicit key in a block mapping ('- :')"
)
pass=0 fail=0 loaded=0 rejected=0 policy=0 exceptions=0 skipped=0 complex=0 nojson=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$suite" || exit 2

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "not ok - $1: $2" >&2
}

# One loader process for every case and one jq process for every in.json: a process per case
# costs more than the parsing, several times more under the sanitizers.
find . -name in.yaml -printf '%h\n' | sed 's|^\./||' | sort >"$tmp/ids"
sed 's|$|/in.yaml|' "$tmp/ids" | "$load" --batch >"$tmp/results" || {
	echo "yaml-test-suite: $load --batch failed" >&2
	exit 2
}
find . -name in.json -printf '%P\n' | sort >"$tmp/jsons"
xargs -r jq -c '{file: input_filename, doc: .}' <"$tmp/jsons" >"$tmp/want" || {
	echo "yaml-test-suite: jq cannot read an in.json" >&2
	exit 2
}
# Per case: id, result, features, whether the data equals in.json (jq's == ignores key order
# and compares numbers by value, as `jq -cS` on both sides would), and the error.
jq -rn --slurpfile r "$tmp/results" --slurpfile w "$tmp/want" '
	($w | group_by(.file) | map({key: (.[0].file | rtrimstr("/in.json")), value: map(.doc)})
	    | from_entries) as $want
	| $r[] | (.file | rtrimstr("/in.yaml")) as $id
	| [$id, .result, .features, (if .result == "loaded" then (.docs == ($want[$id] // [])) else false end),
	   (.error // "" | gsub("[\t\n]"; " "))] | @tsv' >"$tmp/verdicts"

# The loader refused with one of casus's own refusals rather than a YAML error.
policy_error() {
	[[ $1 =~ (are\ not\ allowed$|keys\ must\ be\ scalars) ]]
}

while IFS=$'\t' read -r id result feat same err; do
	name=
	read -r name <"$id/===" 2>/dev/null

	if [ -e "$id/error" ]; then
		[ "$result" != loaded ] && right=1 || right=0
	elif [ "$feat" != none ]; then
		policy_error "$err" && right=1 || right=0
	elif [ -e "$id/in.json" ]; then
		[ "$same" = true ] && right=1 || right=0
	else
		{ [ "$result" = loaded ] || [[ $err == *"keys must be scalars"* ]]; } && right=1 || right=0
	fi

	if [ -n "${known[$id]+x}" ]; then
		# Noticed the day a libyaml update fixes one.
		if [ "$right" = 1 ]; then
			bad "$id" "listed as a libyaml exception but now passes ($name): ${known[$id]}"
		else
			exceptions=$((exceptions + 1))
			ok
		fi
		continue
	fi
	if [ "$right" = 1 ]; then
		ok
		if [ -e "$id/error" ]; then
			rejected=$((rejected + 1))
			# Counted apart: libyaml read these, and only casus's own refusals stopped them.
			policy_error "$err" && policy=$((policy + 1))
		elif [ "$feat" != none ]; then
			skipped=$((skipped + 1))
		elif [ -e "$id/in.json" ]; then
			loaded=$((loaded + 1))
		elif [ "$result" = loaded ]; then
			nojson=$((nojson + 1))
		else
			complex=$((complex + 1))
		fi
		continue
	fi
	if [ -e "$id/error" ]; then
		bad "$id" "invalid YAML was accepted ($name)"
	elif [ "$feat" != none ]; then
		bad "$id" "refused, but not for its $feat ($name): $err"
	elif [ "$result" != loaded ]; then
		bad "$id" "valid YAML was $result ($name): $err"
	else
		got=$(grep -F "\"file\":\"$id/in.yaml\"" "$tmp/results" | jq -cS '.docs[]')
		bad "$id" "loads as other data ($name): got $got, want $(jq -cS . <"$id/in.json")"
	fi
done <"$tmp/verdicts"

[ "$(wc -l <"$tmp/verdicts")" -eq "$(wc -l <"$tmp/ids")" ] || bad all "the loader did not report every case"

echo "yaml-test-suite: $loaded loaded, $rejected rejected ($policy of them only by casus's" \
	"refusal of anchors, aliases, tags or complex keys), $exceptions known libyaml exceptions," \
	"$skipped skipped (anchors/aliases/tags, refused as they should be)," \
	"$complex skipped (complex keys, refused as they should be)," \
	"$nojson loaded with no in.json to compare"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
