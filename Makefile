# casus: small programs for the multi-agency follow-up of detention plans.
# One list of programs drives the build, the tests, install and the man pages.

PROGS = case-init case-config member-add member-remove plan-new plan-show plan-edit case-validate \
	consent-record share-check consent-show overleg-schedule overleg-record release-check member-key \
	case-reseal case-index \
	case-ls case-log case-stats
VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/casus

PKGS = libgit2 yaml-0.1 libpcre2-8 sqlite3 libsodium zlib
# Debian packages the build and the tests need; `make deps` installs the missing ones.
DEBS = build-essential git pkg-config libgit2-dev libyaml-dev libpcre2-dev libsqlite3-dev libsodium-dev zlib1g-dev \
	bats bats-assert bats-support mandoc jq openssh-client
# What `make fuzz` needs besides: clang and its libFuzzer and sanitizer runtimes.
FUZZ_DEBS = clang libclang-rt-14-dev

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
override CFLAGS := $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DCASUS_VERSION='"$(VERSION)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread

# The npm packages the tests use, outside the build folders so `make clean` keeps them.
NPMDIR = .deps/npm
ICALJS = 2.2.1

# B is the build folder: build/ normally, build-san/ for `make check`.
B ?= build

# The goals that only drive other makes or need no compiler; every other goal builds.
DRIVERS = deps test check demo bench stress fuzz clean print-progs
ifneq ($(or $(filter-out $(DRIVERS),$(MAKECMDGOALS)),$(if $(MAKECMDGOALS),,all)),)
# Without the libraries, say so at once rather than with a wall of undefined references.
MISSING := $(shell command -v pkg-config >/dev/null || echo pkg-config; \
	for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || echo $$p; done)
ifneq ($(strip $(MISSING)),)
$(error cannot build: missing $(strip $(MISSING)); run 'make deps' as root to install them)
endif
# The flags a build folder was made with. When they differ from the last build's (`make`, then
# `make test` with -Werror), the file changes and everything in the folder is built again.
FLAGS = $(CC) $(CFLAGS) $(LDFLAGS) $(LDLIBS)
ifneq ($(file <$(B)/flags),$(FLAGS))
$(shell mkdir -p $(B))
$(file >$(B)/flags,$(FLAGS))
endif
endif
LIBSRC = $(sort $(wildcard lib/*.c))
LIBOBJ = $(LIBSRC:lib/%.c=$(B)/lib/%.o) $(B)/gen/schemas.o
SCHEMAS = $(sort $(wildcard schemas/*.schema.yaml))
BINS = $(PROGS:%=$(B)/bin/%)
UNITSRC = $(sort $(wildcard tests/unit/*.c))
UNITS = $(UNITSRC:tests/unit/%.c=$(B)/tests/%)
# The fuzz targets, one tests/fuzz/<target>.c each; the normal build links each with a replay
# driver (tests/fuzz/replay.c) that tests/run runs over the committed inputs.
FUZZ_ALL = yaml schema date settings plan reintegration consent overleg minutes key seal changes
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
FUZZ_B = build-fuzz
REPLAYS = $(FUZZ_ALL:%=$(B)/tests/fuzz-%)
FUZZSRC = tests/fuzz/fuzz.c tests/fuzz/fuzz.h

all: $(BINS) $(UNITS) $(REPLAYS)

# -MMD -MP: each object's headers are recorded beside it (*.d), so changing a header rebuilds
# what includes it and nothing else.
DEPFLAGS = -MMD -MP

$(B)/lib/%.o: lib/%.c $(B)/flags
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Ilib -c -o $@ $<

# The schemas are built into the programs: what validates is what was built and tested.
$(B)/gen/schemas.c: $(SCHEMAS) schemas/embed.sh $(B)/flags
	@mkdir -p $(@D)
	sh schemas/embed.sh $(SCHEMAS) >$@

$(B)/gen/schemas.o: $(B)/gen/schemas.c
	$(CC) $(CFLAGS) $(DEPFLAGS) -Ilib -c -o $@ $<

# Made afresh: ar adds to an archive, and an object whose source is gone would stay in it.
$(B)/libcasus.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/%: cmd/%.c $(B)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Ilib -o $@ $< $(B)/libcasus.a $(LDFLAGS) $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Ilib -o $@ $< $(B)/libcasus.a $(LDFLAGS) $(LDLIBS)


$(B)/tests/fuzz-%: tests/fuzz/%.c tests/fuzz/replay.c $(FUZZSRC) $(B)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Ilib -o $@ $< tests/fuzz/fuzz.c tests/fuzz/replay.c $(B)/libcasus.a $(LDFLAGS) $(LDLIBS)

# The libFuzzer binaries, built by `make fuzz` only, with B=$(FUZZ_B) and CC=clang.
$(B)/fuzz/%: tests/fuzz/%.c $(FUZZSRC) $(B)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer -Ilib -o $@ $< tests/fuzz/fuzz.c $(B)/libcasus.a $(LDFLAGS) $(LDLIBS)

-include $(wildcard $(B)/lib/*.d $(B)/gen/*.d $(B)/bin/*.d $(B)/tests/*.d $(B)/fuzz/*.d)

# Installs the Debian packages that are missing (we run as root on a fresh Debian 12).
deps:
	@missing=; for p in $(DEBS) $(EXTRA_DEBS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root, or install:$$missing" >&2; exit 2; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# An iCalendar parser nobody here wrote, to hold overleg-schedule --format ics against.
	@[ -f $(NPMDIR)/node_modules/ical.js/package.json ] || \
		npm install --silent --no-audit --no-fund --prefix $(NPMDIR) ical.js@$(ICALJS) >/dev/null

# The builds of the drivers below compile a file to a core: 23 -> 16 s for the test build on
# 2 cores.
NPROC := $(shell nproc 2>/dev/null || echo 1)

# The test build treats warnings as errors.
test: deps
	$(MAKE) -j$(NPROC) all CFLAGS='-O1 -g -Werror'
	B=$(B) tests/run

check: deps
	$(MAKE) -j$(NPROC) all B=build-san CFLAGS='-O1 -g -Werror -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' LDFLAGS='-fsanitize=address,undefined'
	B=build-san ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run

# After deps, a new make: the compiler flags come from pkg-config, which deps may just have installed.
demo: deps
	$(MAKE) -j$(NPROC) all
	B=$(B) demo/run

# What `make bench` needs besides: openssl derives the keys of bench/gen's members.
BENCH_DEBS = openssl
bench:
	$(MAKE) deps EXTRA_DEBS='$(BENCH_DEBS)'
	$(MAKE) -j$(NPROC) all
	B=$(B) bench/run

# Fuzzes each of FUZZ_TARGETS for FUZZ_SECONDS, FUZZ_JOBS at a time (tests/fuzz/run says how).
# The library is built again with clang, instrumented, in a folder of its own.
fuzz:
	$(MAKE) deps EXTRA_DEBS='$(FUZZ_DEBS)'
	$(MAKE) B=$(FUZZ_B) CC=clang CFLAGS='-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz/%)
	FB=$(FUZZ_B) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run $(FUZZ_TARGETS)

# The kill and race attack of tests/stress/run, in full: at least 200 kills and 8 × 50 writers,
# with fsync on. A short version runs in `make test`. Then the index's random history
# (tests/0340-index-random.bats), 300 steps from three seeds instead of 30 from one.
stress: deps
	$(MAKE) all
	B=$(B) tests/stress/run
	for seed in 1 2 3; do \
		INDEX_SEED=$$seed INDEX_STEPS=300 PATH="$(CURDIR)/$(B)/bin:$$PATH" bats tests/0340-index-random.bats || exit 1; \
	done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)/schemas
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(PROGS:%=man/man1/%.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/man5/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 man/man7/*.7 $(DESTDIR)$(MANDIR)/man7
	install -m 644 schemas/*.yaml $(DESTDIR)$(DATADIR)/schemas

clean:
	rm -rf build build-san $(FUZZ_B)

# For tests/run, which checks that each program has its man page and tests.
print-progs:
	@echo $(PROGS)


.PHONY: all deps test check demo bench fuzz stress install clean print-progs
.DELETE_ON_ERROR:
