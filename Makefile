# The two commands of the README. Each installs what is missing first.
#   make run   build (Release) and route Xi'an -> Tashkent on the embedded dataset
#   make test  build with sanitizers and warnings-as-errors, then run every test
JOBS ?= $(shell nproc)
RELEASE_DIR ?= build/release
TEST_DIR ?= build/test

.PHONY: run test build deps bench clean

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DCARAVAN_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_cli caravan_python

run: build
	$(RELEASE_DIR)/caravan route xian tashkent

test: deps
	@cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCARAVAN_WERROR=ON -DCARAVAN_SANITIZE=ON -DCARAVAN_BENCH=OFF >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)

bench: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target caravan_bench
	$(RELEASE_DIR)/bench/caravan_bench

clean:
	rm -rf build
