#!/usr/bin/env bash
# Times `handover build` of a synthetic portfolio beside `hugo` building the
# same number of plain Markdown pages, in the same run on the same machine,
# and prints the ratios that PERFORMANCE.md tracks. Each command runs twice
# and the second run counts (warm page cache, as in an edit-build loop).
#
#   scripts/bench-vs-hugo.sh [-n ENTITIES] [-c COMMITS] [-s SCALE_ENTITIES] [-k]
#
#   -n  entities in the portfolio and pages in the Hugo site (default 50000)
#   -c  commits in the portfolio's git history (default 5000)
#   -s  also build a portfolio of SCALE_ENTITIES entities (commits in
#       proportion) and report the build-time ratio from it to -n, e.g. -s 10000;
#       serve's rebuild after one change is then timed on that portfolio
#       (else on the -n one)
#   -k  keep the working directory (portfolio, Hugo site, outputs) and print it
#
# It installs nothing. It needs go, git, hugo and GNU time (/usr/bin/time);
# on Debian or Ubuntu: apt-get install -y hugo time
#
# Its working directory (a few GB) goes under $TMPDIR, /tmp by default, and is
# deleted at the end. On an ext4 without a journal, files created within a
# few minutes of a large delete are slow to create (PERFORMANCE.md, Method):
# leave quiet minutes between runs, or run it all in memory with
# TMPDIR=/dev/shm.
set -euo pipefail

entities=50000
commits=5000
scale=""
keep=""
while getopts "n:c:s:kh" opt; do
	case $opt in
	n) entities=$OPTARG ;;
	c) commits=$OPTARG ;;
	s) scale=$OPTARG ;;
	k) keep=1 ;;
	*)
		sed -n '2,18s/^# \{0,1\}//p' "$0"
		exit 2
		;;
	esac
done

missing=""
for tool in go git hugo; do
	command -v "$tool" >/dev/null || missing="$missing $tool"
done
[ -x /usr/bin/time ] || missing="$missing /usr/bin/time"
if [ -n "$missing" ]; then
	echo "bench-vs-hugo: missing:$missing" >&2
	echo "  install hugo and GNU time with: apt-get install -y hugo time (Go from https://go.dev/dl/)" >&2
	exit 1
fi

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-vs-hugo.XXXXXX")
if [ -n "$keep" ]; then
	trap 'echo "kept $work" >&2' EXIT
else
	trap 'rm -rf "$work"' EXIT
fi

log() { echo "bench-vs-hugo: $*" >&2; }

log "building handover and handover-synth"
(cd "$root" && go build -o "$work/bin/handover" ./cmd/handover && go build -o "$work/bin/handover-synth" ./cmd/handover-synth)

# measure NAME CMD...: runs CMD twice under /usr/bin/time -v (measure_run
# 1, then 2) and sets NAME_wall (seconds, from the clock around the
# command: time -v rounds to 10 ms) and NAME_rss (MiB, time -v's maximum
# resident set size) from the second run; that run's stderr is kept in
# $work/NAME.err. An argument @OUT@ becomes a new directory for each run
# ($work/NAME.out1, .out2): both tools build into an empty directory, as in
# CI, and nothing is deleted between runs. Deleting a 1.3 GB site takes 10 s
# on this machine's ext4 (mounted with discard), and for a while after it
# creating files costs several times more in the kernel (ext4 skips
# recently deleted inodes), which slowed whichever build came next; the
# outputs go with $work at the end. Each run starts once everything
# written before it is on disk (sync).
measure() {
	measure_run 1 "$@"
	measure_run 2 "$@"
}

# measure_run RUN NAME CMD...: one run of measure; the second sets the
# variables.
measure_run() {
	local run=$1 name=$2
	shift 2
	local start end args
	args=()
	for a in "$@"; do
		[ "$a" = @OUT@ ] && a="$work/$name.out$run"
		args+=("$a")
	done
	log "$name, run $run: ${args[*]}"
	# The previous run's output (a site is 0.3-1.3 GB) is still being
	# written back to disk: wait for it, so that its writeback does not
	# slow this run down, whichever tool it was.
	sync
	start=$(date +%s%N)
	/usr/bin/time -v -o "$work/$name.time" "${args[@]}" >/dev/null 2>"$work/$name.err" || {
		echo "bench-vs-hugo: $name failed:" >&2
		tail -20 "$work/$name.err" >&2
		exit 1
	}
	end=$(date +%s%N)
	[ "$run" = 2 ] || return 0
	printf -v "${name}_wall" '%s' "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
	printf -v "${name}_rss" '%s' "$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")"
}

# seconds DURATION: a Go duration as printed by handover ("252ms",
# "27.3s", "1m2.5s") in seconds.
seconds() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f\n", v / 1000 }
		else if (v ~ /(µs|ns)$/) { print 0 }
		else if (v ~ /m[0-9.]+s$/) { split(v, p, "m"); sub(/s$/, "", p[2]); print p[1] * 60 + p[2] }
		else { sub(/s$/, "", v); print v }
	}'
}

# stage NAME: a stage's time in seconds from the -v output of the measured
# handover build ("enrich    252ms").
stage() { seconds "$(awk -v s="$1" '$1 == s && NF == 2 { print $2; exit }' "$work/build.err")"; }

# serve_rebuild DIR: starts handover serve on DIR, waits for its first
# build, then appends a line to the notes of one server six times, a second
# after each rebuild (as someone saving an edit, not a burst of saves), and
# prints the median and the slowest of the six rebuilds' times in seconds
# ("rebuilt in ..." on serve's stderr). The server is stopped and the file
# restored.
serve_rebuild() {
	local dir=$1 err="$work/serve.err" file
	file=$(cd "$dir" && ls clients/*/servers/*.yaml | head -1)
	sync # as in measure
	"$work/bin/handover" serve --port 0 "$dir" 2>"$err" &
	local pid=$!
	wait_for() { # wait_for PATTERN COUNT: until serve's stderr has COUNT lines matching
		while [ "$(grep -c "$1" "$err" || true)" -lt "$2" ]; do
			kill -0 "$pid" 2>/dev/null || { echo "bench-vs-hugo: handover serve exited:" >&2; tail "$err" >&2; exit 1; }
			sleep 0.2
		done
	}
	wait_for '^serving ' 1
	for edit in 1 2 3 4 5 6; do
		sleep 1
		log "serve: edit $edit of $file"
		printf '  - Edit %s for the serve benchmark.\n' "$edit" >>"$dir/$file"
		wait_for '^rebuilt in ' $((edit + 1))
	done
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	git -C "$dir" checkout -q -- "$file"
	grep '^rebuilt in ' "$err" | tail -6 | cut -d' ' -f3 | while read -r t; do seconds "$t"; done |
		sort -n | awk '{ v[NR] = $1 } END { printf "%.3f %.3f\n", (v[3] + v[4]) / 2, v[6] }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

log "writing a portfolio of $entities entities and $commits commits"
"$work/bin/handover-synth" -q -entities "$entities" -commits "$commits" -out "$work/portfolio"
if [ -n "$scale" ]; then
	scale_commits=$((commits * scale / entities))
	log "writing a portfolio of $scale entities and $scale_commits commits"
	"$work/bin/handover-synth" -q -entities "$scale" -commits "$scale_commits" -out "$work/portfolio-small"
fi

# The Hugo site: $entities plain Markdown pages of about 1 KB (three
# headings, four paragraphs, a list with bold, inline code and a link; no
# code block, whose highlighting would slow Hugo down) in sections of 100,
# as the portfolio has 100 entities per client; one template for a page and
# one for a list. Taxonomies, RSS, the sitemap and robots.txt are off, so
# Hugo renders the pages, the section lists and the home page, nothing else.
log "writing a Hugo site of $entities plain pages"
mkdir -p "$work/hugo/layouts/_default" "$work/hugo/content"
cat >"$work/hugo/hugo.toml" <<'EOF'
baseURL = "https://handover.synthetic-it.example/"
title = "Plain pages"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
EOF
cat >"$work/hugo/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> / <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<main><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>{{ .Content }}</main>
</body>
</html>
EOF
cat >"$work/hugo/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body>
<main><h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>
</body>
</html>
EOF
awk -v n="$entities" -v dir="$work/hugo/content" 'BEGIN {
	split("web server|database server|file server|domain controller|TLS certificate|DNS zone|payment integration|backup job|vendor contract|restore runbook", what, "|")
	split("It was set up when the client moved off its old provider and has been managed by us since.|The office manager is the first person to ask about it; they know its history and approve changes.|Changes are made in the monthly maintenance window unless the client asks for an emergency change.|When it misbehaves the usual cause is a full disk or an expired certificate; both are monitored.|The vendor supports it in business hours only, so out-of-hours problems are ours to work around.|Its configuration is kept in the infrastructure repository and applied by Ansible, never by hand.|Licences are bought through the partner account and re-invoiced to the client every year.|An audit last year found no open issues; the report is in the client SharePoint under IT.", say, "|")
	sections = int((n + 99) / 100)
	for (s = 0; s < sections; s++) {
		sec = sprintf("%s/client-%04d", dir, s)
		system("mkdir -p " sec)
		printf "---\ntitle: \"Client %04d\"\n---\n\nEverything we run for client %04d.\n", s, s > (sec "/_index.md")
		close(sec "/_index.md")
	}
	for (i = 0; i < n; i++) {
		f = sprintf("%s/client-%04d/page-%06d.md", dir, int(i / 100), i)
		w = what[i % 10 + 1]
		printf "---\ntitle: \"The %s %d\"\ndate: 2025-%02d-%02d\n---\n\n", w, i, i % 12 + 1, i % 28 + 1 > f
		printf "## Overview\n\nThe %s %d serves client %04d. %s %s\n\n", w, i, int(i / 100), say[i % 8 + 1], say[(i + 3) % 8 + 1] > f
		printf "%s %s %s\n\n", say[(i + 1) % 8 + 1], say[(i + 5) % 8 + 1], say[(i + 6) % 8 + 1] > f
		printf "## Details\n\n- **Owner:** engineer %d\n- **Reviewed:** 2025-%02d-%02d\n- **Host:** `host-%d.client-%04d.example`\n- **Support:** see the [vendor page](https://vendor-%d.example/)\n\n", i % 6, i % 12 + 1, i % 28 + 1, i, int(i / 100), i % 10 > f
		printf "## Notes\n\n%s %s\n", say[(i + 2) % 8 + 1], say[(i + 7) % 8 + 1] > f
		close(f)
	}
}'

# The builds take turns, so that none always comes first after the inputs
# were written, or after whatever the machine did before the script; the
# small portfolio's build (-s) takes its turn with them, so that the ratio
# of the two sizes compares runs made in the same minutes: this machine's
# speed drifts by a third from one minute to the next. It comes between
# the two others, so that the large build's counted run still follows
# Hugo's first, as it did before the small one joined the turns.
for run in 1 2; do
	measure_run "$run" build "$work/bin/handover" build -v "$work/portfolio" --out @OUT@
	if [ -n "$scale" ]; then
		measure_run "$run" small "$work/bin/handover" build -v "$work/portfolio-small" --out @OUT@
	fi
	measure_run "$run" hugo hugo --quiet --source "$work/hugo" --destination @OUT@
done
pages=$(sed -n 's/^built .*entities, \([0-9]*\) pages.*/\1/p' "$work/build.err")
enrich=$(stage enrich)
measure validate "$work/bin/handover" validate -q "$work/portfolio"
measure gitlog git -C "$work/portfolio" log --name-only

if [ -n "$scale" ]; then
	serve_entities=$scale
	serve_out=$(serve_rebuild "$work/portfolio-small")
else
	serve_entities=$entities
	serve_out=$(serve_rebuild "$work/portfolio")
fi
read -r serve_wall serve_max <<<"$serve_out"

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory; $(go version | cut -d' ' -f3); $(hugo version | cut -d' ' -f1-2); $(git --version)"
echo "handover at $(git -C "$root" describe --always --dirty)."
echo "Portfolio: $entities entities, $commits commits; handover built $pages pages. Hugo: $entities plain pages."
echo "Second of two runs each, measured with /usr/bin/time -v; builds into an empty output directory."
echo
printf '| %-48s | %10s | %12s |\n' "measure" "wall (s)" "peak RSS (MiB)"
printf '|%s|%s|%s|\n' "--------------------------------------------------" "------------" "----------------"
printf '| %-48s | %10s | %14s |\n' "handover build ($entities entities)" "$build_wall" "$build_rss"
printf '| %-48s | %10s | %14s |\n' "hugo ($entities plain pages)" "$hugo_wall" "$hugo_rss"
printf '| %-48s | %10s | %14s |\n' "ratio handover / hugo (targets 0.50, 0.33)" "$(ratio "$build_wall" "$hugo_wall")" "$(ratio "$build_rss" "$hugo_rss")"
printf '| %-48s | %10s | %14s |\n' "handover validate (target 2 s)" "$validate_wall" "$validate_rss"
printf '| %-48s | %10s | %14s |\n' "serve rebuild, $serve_entities entities: median (target 0.2 s)" "$serve_wall" ""
printf '| %-48s | %10s | %14s |\n' "serve rebuild, slowest of the six" "$serve_max" ""
printf '| %-48s | %10s | %14s |\n' "history pass (build -v: enrich)" "$enrich" ""
printf '| %-48s | %10s | %14s |\n' "git log --name-only" "$gitlog_wall" "$gitlog_rss"
printf '| %-48s | %10s | %14s |\n' "ratio history / git log (target 2)" "$(ratio "$enrich" "$gitlog_wall")" ""
if [ -n "$scale" ]; then
	printf '| %-48s | %10s | %14s |\n' "handover build ($scale entities, $scale_commits commits)" "$small_wall" "$small_rss"
	printf '| %-48s | %10s | %14s |\n' "ratio build $entities / $scale (target 5.5)" "$(ratio "$build_wall" "$small_wall")" ""
fi
echo
echo "Stages of the handover build ($entities entities):"
sed -n 's/^  load/  load/p' "$work/build.err" | tail -1
