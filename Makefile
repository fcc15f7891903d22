# Jundeng: two commands do everything.
#   make run    install what is missing, build, create the demo city (first time), serve on :8080
#   make test   install what is missing, build, run every test, then again under ASan+UBSan
BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= var/jundeng.db
LISTEN     ?= 127.0.0.1:8080
PERSONS    ?= 2000
SEED       ?= 1
CMAKE_FLAGS ?=

.PHONY: all deps build web run demo test test-fast test-asan bench format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) > /dev/null
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

demo: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then ./$(BUILD)/jundeng demo --db $(DB) --persons $(PERSONS) --seed $(SEED); \
	else echo "Using the existing $(DB) (demo passwords were shown when it was created; 'make demo-reset' makes a new one)."; fi

run: demo
	./$(BUILD)/jundeng serve --db $(DB) --listen $(LISTEN)

demo-reset:
	rm -f $(DB) $(DB)-wal $(DB)-shm $(DB).audit-key
	@$(MAKE) --no-print-directory demo

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 900
	@$(MAKE) --no-print-directory test-asan

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -L unit

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJD_SANITIZE=ON -DJD_BENCH=OFF $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure --timeout 1800

bench: build
	./$(BUILD)/bench/registry_load_bench --persons 1000000

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
