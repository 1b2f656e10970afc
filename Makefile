# msense build entry points. `make demo` and `make test` are the two commands in README.md;
# each installs what is missing first, so both work on a fresh Debian machine with Swift 6.
.PHONY: deps build demo test clean

OUT ?= out

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release

# The flagship example: incremental learning, data and figures into $(OUT)/incremental.
demo: build
	.build/release/msense examples/paper/incremental.msense $(OUT)/incremental

# The whole test suite (unit tests, golden scripts, NumPy oracle and replay conformance).
test: deps
	swift test -c release

clean:
	rm -rf .build $(OUT)
