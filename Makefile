# piculet: the user's entrance. `make` builds build/piculet; `make test`
# installs what is missing, builds, and runs every test under ASan+UBSan.

BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 5
DEMO_DIR   ?= /tmp/piculet-demo

.PHONY: all deps build deb test test-only test-later fuzz demo demo-pg demo-stop bench lint format clean

all: build

deps:
	@scripts/deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD_SAN)/build.ninja:
	meson setup $(BUILD_SAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

$(BUILD_FUZZ)/build.ninja:
	CC=clang meson setup $(BUILD_FUZZ) --buildtype=debug -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false

# Every test (unit, transcript, integration against a fresh mail lab,
# fuzz-corpus replay) under the sanitizers, then a short libFuzzer run of
# each fuzz target. Ends with "N passed, N failed".
test: deps build $(BUILD_SAN)/build.ninja $(BUILD_FUZZ)/build.ninja
	ninja -C $(BUILD_SAN)
	ninja -C $(BUILD_FUZZ)
	@PICULET_TEST_DEB=1 scripts/run-tests $(BUILD_SAN) $(BUILD_FUZZ) $(FUZZ_SECONDS)

# The same, without installing, building or fuzzing: for a quick loop.
test-only:
	@scripts/run-tests $(BUILD_SAN)

# The suite with the clock moved LATER_DAYS ahead for the tests and the
# piculet processes they start (faketime; the mail lab keeps the real one):
# no test may depend on the date it runs.
LATER_DAYS ?= 7
test-later: deps $(BUILD_SAN)/build.ninja
	ninja -C $(BUILD_SAN)
	@PICULET_FAKETIME=+$(LATER_DAYS)d scripts/run-tests $(BUILD_SAN)

fuzz: $(BUILD_FUZZ)/build.ninja
	ninja -C $(BUILD_FUZZ)
	@scripts/run-fuzz $(BUILD_FUZZ) $(FUZZ_SECONDS)

# piculet_VERSION_ARCH.deb in build-deb/, with Debian's tooling; lintian
# clean (docs/operating.md).
deb: deps
	@scripts/deb build-deb

demo: deps build
	@scripts/demo $(DEMO_DIR)

# The same demo on a throw-away PostgreSQL (scripts/pg-lab in DEMO_DIR-pg).
demo-pg: deps build
	@scripts/demo $(DEMO_DIR) --postgresql

demo-stop:
	@scripts/mail-lab stop $(DEMO_DIR)
	@scripts/pg-lab stop $(DEMO_DIR)-pg

bench: build
	@scripts/deps --bench
	@bench/run-all

lint: build
	@tools/lint $(BUILD)

format:
	@find src tests bench -name '*.[ch]' -print0 | xargs -0 clang-format -i

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ) build-deb
