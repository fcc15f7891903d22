# Jundeng: two commands do everything.
#   make run    install what is missing, build the server and the web app, create the demo city
#               (first time), serve on :8080
#   make test   install what is missing, build, run every test once (unit and integration tests
#               under ASan+UBSan, the browser and outside-tool tests on the normal build)
#   make ci     what .ci/run does: make test with a bounded fuzzing phase before the ASan run
BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= var/jundeng.db
LISTEN     ?= 127.0.0.1:8080
PERSONS    ?= 2000
SEED       ?= 1
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 10
# Tests run side by side, one per core (the ones timing latencies are marked RUN_SERIAL).
JOBS       ?= $(shell nproc)
PHASE      := scripts/phase.sh

.PHONY: all deps configure server shipped build web run demo test test-normal test-run ci fuzz \
	federation-demo \
	test-fast test-asan \
	asan-build asan-run bench format clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) > /dev/null

# Only what `make run` serves: the server binary and the web app (no tests, no benchmarks).
server: configure
	@cmake --build $(BUILD) --target jundeng
	@$(MAKE) --no-print-directory web

build: configure
	@cmake --build $(BUILD)
	@$(MAKE) --no-print-directory web

# The web app (web/, served at / by `jundeng serve`): npm ci only when node_modules is missing or
# the lock file changed; the Vite build only when a source changed.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js
web: web/dist/index.html

web/node_modules/.installed: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build
	@touch $@

demo: server
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then ./$(BUILD)/jundeng demo --db $(DB) --persons $(PERSONS) --seed $(SEED); \
	else echo "Using the existing $(DB) (demo passwords were shown when it was created; 'make demo-reset' makes a new one)."; fi

run: demo
	./$(BUILD)/jundeng serve --db $(DB) --listen $(LISTEN)

demo-reset:
	rm -f $(DB) $(DB)-wal $(DB)-shm $(DB).audit-key $(DB).audit-head
	@$(MAKE) --no-print-directory demo

# `make test` and `make ci` run every test once, with no source compiled twice for the same use:
# - the normal build makes what ships (the server, the web app, the benchmarks) and runs the tests
#   that need it: the web app in Chromium against the optimised server (label e2e) and outside
#   tools reading files our code wrote (label external);
# - the ASan + UBSan build makes and runs every other test (unit, integration, fuzz replays).
# Each phase prints "phase NAME: N s". The last phase is the ASan ctest run, whose own summary
# (with its "Total Test time") closes the output. `make build test-run` is the developer's full
# normal build and run.
SHIPPED := jundeng kpi_export_sample registry_load_bench immunization_forecast_bench growth_zscore_bench \
	immunization_due_bench kpi_dashboard_bench slow_clients_bench maternal_due_bench child_due_bench

shipped: configure
	@cmake --build $(BUILD) --target $(SHIPPED)
	@$(MAKE) --no-print-directory web

test: deps
	@$(PHASE) build $(MAKE) --no-print-directory shipped
	@$(PHASE) tests-normal $(MAKE) --no-print-directory test-normal
	@$(MAKE) --no-print-directory test-asan

ci: deps
	@$(PHASE) build $(MAKE) --no-print-directory shipped
	@$(PHASE) tests-normal $(MAKE) --no-print-directory test-normal
	@$(PHASE) fuzz scripts/fuzz.sh $(FUZZ_SECONDS)
	@$(MAKE) --no-print-directory test-asan

test-normal:
	cd $(BUILD) && ctest --output-on-failure --timeout 900 -L "e2e|external"

# Every test of the normal build (after `make build`).
test-run:
	cd $(BUILD) && ctest --output-on-failure --timeout 900

# The libFuzzer targets for FUZZ_SECONDS each (scripts/fuzz.sh has the longer offline run).
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -L unit

# The sanitizer run builds only the C++ (the web app is the normal build's) and runs every test
# but those labelled e2e and external, which the normal build runs (see `test`).
test-asan: deps
	@$(PHASE) asan-build $(MAKE) --no-print-directory asan-build
	@echo "phase asan-tests: ctest's Total Test time below"
	@$(MAKE) --no-print-directory asan-run

# The sanitizer build is compiled by clang (Debian's clang-14, which fuzzing needs anyway): its
# ASan + UBSan compile takes a third of g++'s CPU time here (src/immunization/service.cc: 8.5 s
# against 27 s), and its warnings (-Werror) add a second compiler's view to the g++ build's. A
# build folder configured with another compiler is made anew.
asan-build:
	@if [ -f $(ASAN_BUILD)/CMakeCache.txt ] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang' $(ASAN_BUILD)/CMakeCache.txt; then \
		rm -rf $(ASAN_BUILD); fi
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJD_SANITIZE=ON \
		-DJD_BENCH=OFF $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(ASAN_BUILD)

asan-run:
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure --timeout 1800 -j $(JOBS) -LE "e2e|external"

# Three city nodes and a three-server NATS JetStream cluster on loopback; a migrant moves
# Nanning → Shenzhen → Xiamen and each node's view is printed (scripts/federation-demo.sh).
federation-demo: server
	scripts/federation-demo.sh $(BUILD)/jundeng

bench: build
	./$(BUILD)/bench/registry_load_bench --persons 1000000

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/dist
