# Jundeng: two commands do everything.
#   make run    install what is missing, build the server and the web app, create the demo city
#               (first time), serve on :8080
#   make test   install what is missing, build, run every test, then again under ASan+UBSan
#   make ci     what .ci/run does: make test with a bounded fuzzing phase before the ASan run
BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= var/jundeng.db
LISTEN     ?= 127.0.0.1:8080
PERSONS    ?= 2000
SEED       ?= 1
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 20
PHASE      := scripts/phase.sh

.PHONY: all deps configure server build web run demo test test-run ci fuzz test-fast test-asan \
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
	rm -f $(DB) $(DB)-wal $(DB)-shm $(DB).audit-key
	@$(MAKE) --no-print-directory demo

# Each phase prints "phase NAME: N s". The last phase is the ASan ctest run, whose own summary
# (with its "Total Test time") closes the output.
test: deps
	@$(PHASE) build $(MAKE) --no-print-directory build
	@$(PHASE) tests $(MAKE) --no-print-directory test-run
	@$(MAKE) --no-print-directory test-asan

ci: deps
	@$(PHASE) build $(MAKE) --no-print-directory build
	@$(PHASE) tests $(MAKE) --no-print-directory test-run
	@$(PHASE) fuzz scripts/fuzz.sh $(FUZZ_SECONDS)
	@$(MAKE) --no-print-directory test-asan

test-run:
	cd $(BUILD) && ctest --output-on-failure --timeout 900

# The libFuzzer targets for FUZZ_SECONDS each (scripts/fuzz.sh has the longer offline run).
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -L unit

# The sanitizer run builds only the C++ (the web app is the normal build's) and skips the tests
# labelled "external": they check generated files with outside tools (python3-jsonschema,
# LibreOffice), and the C++ that writes those files runs under ASan in its unit tests.
test-asan: deps
	@$(PHASE) asan-build $(MAKE) --no-print-directory asan-build
	@echo "phase asan-tests: ctest's Total Test time below"
	@$(MAKE) --no-print-directory asan-run

asan-build:
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJD_SANITIZE=ON -DJD_BENCH=OFF $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(ASAN_BUILD)

asan-run:
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure --timeout 1800 -LE external

bench: build
	./$(BUILD)/bench/registry_load_bench --persons 1000000

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/dist
