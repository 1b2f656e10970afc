# msense build entry points. `make demo` and `make test` are the two commands in README.md;
# each installs what is missing first, so both work on a fresh Debian machine with Swift 6.
.PHONY: deps build demo test python-test kernel clean fuzz reference docs

OUT ?= out

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release

# The flagship example: incremental learning, data and figures into $(OUT)/incremental.
demo: build
	.build/release/msense examples/paper/incremental.msense $(OUT)/incremental

# The whole test suite (unit tests, golden scripts, NumPy oracle and replay conformance), then
# the editor tooling's Python tests (Pygments lexer, VS Code grammar, LSP client), then the C API,
# Python package, Jupyter kernel and notebook tests.
test: deps
	swift test -c release
	scripts/editor-tests.sh
	$(MAKE) python-test

# The C API program, the Python package, the Jupyter kernel and the example notebook (pytest in
# the project-local .build/venv; docs/python.md).
python-test: deps
	scripts/python-tests.sh

# Installs the msense Python package and Jupyter kernel into .build/venv (docs/jupyter.md).
kernel: deps
	scripts/python-install.sh

clean:
	rm -rf .build $(OUT)

# Fuzz the language front end and evaluator with libFuzzer for FUZZ_SECONDS (fuzz/README.md);
# FUZZER=EditorFuzzer fuzzes the language server instead.
FUZZ_SECONDS ?= 600
FUZZER ?= FrontEndFuzzer
fuzz:
	rm -f fuzz/.build/*.yaml fuzz/.build/release/description.json  # replan: msense may have new files
	cd fuzz && swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	mkdir -p fuzz/artifacts fuzz/corpus-work
	SWIFT_BACKTRACE=enable=no fuzz/.build/release/$(FUZZER) fuzz/corpus-work fuzz/corpus \
		-max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=4096 \
		-dict=fuzz/msense.dict -artifact_prefix=fuzz/artifacts/

# Regenerate docs/reference.md from the builtins' doc strings and examples (a test checks it).
reference: build
	.build/release/msense --reference > docs/reference.md

# The DocC archives of the library modules (.build/MODULE.doccarchive).
DOC_MODULES = MSense MSenseCore Sensing Tensor Plot Sweep Subprocess Autodiff
docs: deps
	swift build -c release --product msense
	for m in $(DOC_MODULES); do MSENSE_DOCS_SKIP_BUILD=1 scripts/build-docs.sh .build/$$m.doccarchive $$m || exit 1; done
