# The two commands of the README. Each installs what is missing first.
#   make run   build (Release, web UI included) and serve the web map and API on the
#              embedded dataset at http://127.0.0.1:$(PORT)/ (Ctrl-C stops)
#   make test  check the C++ formatting (scripts/check-format), build with sanitizers and
#              warnings-as-errors, then run every test,
#              then a 60-second run of each fuzzer (clang, build/fuzz)
#   make fuzz  each fuzzer for FUZZ_SECONDS (docs/fuzzing.md)
#   make package  the Release build's Debian package, build/release/caravan_<version>_<arch>.deb
#   make golden   rewrite the CLI's golden answers (tests/cli/golden) with today's, for review
#   make tsan     the server's tests under ThreadSanitizer (build/tsan)
# Benchmarks (docs/performance.md), none of them part of `make test`:
#   make bench          route queries on the default data and a 100,000-location network
#   make bench-peers    caravan vs Boost.Graph, igraph, networkx, pgRouting (~15 min)
#   make bench-scaling  route query time and memory from 1,000 to 1,000,000 locations
#   make bench-soak     the server under 80% of its peak for 10 minutes, beside hostile clients
JOBS ?= $(shell nproc)
RELEASE_DIR ?= build/release
TEST_DIR ?= build/test
TSAN_DIR ?= build/tsan
# The server's tests (tests/server): what `make tsan` runs.
SERVER_TESTS = '^(Api|ApiServer|Hardening|HardeningServer|RequestReader|HeavyGate|AuthThrottle|ClientKey|Catalog|StoreFaults)\.'
PORT ?= 8080
FUZZ_SECONDS ?= 600

.PHONY: run test fuzz tsan build deps bench bench-peers bench-scaling bench-soak clean

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DCARAVAN_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_cli caravan_web caravan_python

.PHONY: package golden
package: build
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_shell_docs
	cd $(RELEASE_DIR) && cpack -G DEB

# After a change of model or data: every file rewritten, then `git diff tests/cli/golden`.
golden: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DCARAVAN_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_cli
	tests/cli/golden/run --update $(RELEASE_DIR)/caravan
	@git diff --stat -- tests/cli/golden 2>/dev/null || true

run: build
	$(RELEASE_DIR)/caravan serve --port $(PORT)

test: deps
	scripts/check-format
	@cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCARAVAN_WERROR=ON -DCARAVAN_SANITIZE=ON -DCARAVAN_BENCH=OFF >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)
	JOBS=$(JOBS) scripts/fuzz smoke 60

fuzz: deps
	JOBS=$(JOBS) scripts/fuzz time $(FUZZ_SECONDS)

tsan: deps
	@cmake -S . -B $(TSAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCARAVAN_WERROR=ON -DCARAVAN_TSAN=ON -DCARAVAN_BENCH=OFF -DCARAVAN_PYTHON=OFF >/dev/null
	@cmake --build $(TSAN_DIR) -j $(JOBS) --target server_test server_hardening_test caravan_cli
	cd $(TSAN_DIR) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" ctest --output-on-failure -j $(JOBS) -R $(SERVER_TESTS)

bench: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_bench
	$(RELEASE_DIR)/bench/caravan_bench

bench-soak: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DCARAVAN_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_cli
	bench/server/soak.sh $(RELEASE_DIR)

bench-peers: deps
	@bench/peers/install-peers
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_cli caravan_graphgen
	@mkdir -p $(RELEASE_DIR)/peers
	g++ -O2 -std=c++17 bench/peers/boost_sssp.cc -o $(RELEASE_DIR)/peers/boost_sssp
	/usr/bin/python3 bench/peers/run.py $(RELEASE_DIR)

bench-scaling: deps
	@dpkg-query -W -f='$${Status}' python3-matplotlib 2>/dev/null | grep -q 'install ok installed' || \
	  ($(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends python3-matplotlib)
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_scaling
	/usr/bin/python3 bench/scaling.py $(RELEASE_DIR)/bench/caravan_scaling docs

clean:
	rm -rf build
