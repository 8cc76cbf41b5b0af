# The README's commands. Every target installs what it needs first (scripts/install-deps.sh is idempotent).
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
WERROR ?= OFF
DEMO_DIR ?= $(BUILD_DIR)/demo-lake
CMAKE_FLAGS ?=

.PHONY: all deps build test test-sanitize demo bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCDMLAKE_WERROR=$(WERROR) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer, in their own build tree.
test-sanitize:
	$(MAKE) test BUILD_DIR=build-sanitize BUILD_TYPE=Debug CMAKE_FLAGS=-DCDMLAKE_SANITIZE=ON

demo: build
	scripts/demo.sh $(BUILD_DIR)/cdmlake $(DEMO_DIR)

bench: build
	@scripts/install-deps.sh --bench
	bench/run.sh $(BUILD_DIR)/cdmlake

clean:
	rm -rf $(BUILD_DIR) build-sanitize
