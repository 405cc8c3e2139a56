# liblinreg -- build, test, demo, install.
#
#   make                 build the release library into build/lib/
#   make test            every test suite (Swift, C, header/ABI, Python); installs what it needs
#   make demo            the seed experiment from C and Python, with pictures in build/demo/
#   make bench           the speed comparison (see BENCHMARKS.md)
#   make install PREFIX=/usr/local   (library, header, pkg-config file, LICENSE and CHANGELOG)
#
# Paths: DATA (the Advertising CSV) defaults to ../shared/data/Advertising.csv.

SHELL := /bin/bash
# The version is written once, in include/linreg.h (as zstd's Makefile reads zstd.h).
linreg_version_part = $(shell sed -n 's/^\#define LINREG_VERSION_$(1) *\([0-9][0-9]*\) *$$/\1/p' $(CURDIR)/include/linreg.h)
VERSION_MAJOR := $(call linreg_version_part,MAJOR)
VERSION_MINOR := $(call linreg_version_part,MINOR)
VERSION_PATCH := $(call linreg_version_part,PATCH)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
# Each part is digits only (the sed pattern), so three words mean three numbers.
ifneq ($(words $(VERSION_MAJOR) $(VERSION_MINOR) $(VERSION_PATCH)),3)
$(error cannot read LINREG_VERSION_MAJOR/MINOR/PATCH from include/linreg.h (got '$(VERSION)'))
endif
PREFIX ?= /usr/local
DATA ?= $(abspath ../shared/data/Advertising.csv)
BUILD := $(CURDIR)/build
LIBDIR := $(BUILD)/lib
LIBFILE := $(LIBDIR)/liblinreg.so.$(VERSION)
SWIFT_RELEASE := .build/release/liblinreg.so
SOURCES := $(shell find Sources -name '*.swift') Package.swift scripts/exports.map
VENV = $(shell bash scripts/venv.sh)
PYTEST_ARGS ?=

SWIFT_LINK_FLAGS := -Xswiftc -static-stdlib \
	-Xlinker -soname=liblinreg.so.$(VERSION_MAJOR) \
	-Xlinker --version-script=$(CURDIR)/scripts/exports.map \
	-Xlinker --gc-sections

.PHONY: all lib test test-swift test-c test-header test-python test-stress test-fuzz test-isa test-install fuzz demo bench install clean venv

all: lib

lib: $(LIBFILE)

$(LIBFILE): $(SOURCES)
	swift build -c release --product linreg $(SWIFT_LINK_FLAGS)
	mkdir -p $(LIBDIR)
	# copy then rename: processes that have the old library mapped keep a valid file
	cp $(SWIFT_RELEASE) $(LIBFILE).tmp
	mv -f $(LIBFILE).tmp $(LIBFILE)
	ln -sf liblinreg.so.$(VERSION) $(LIBDIR)/liblinreg.so.$(VERSION_MAJOR)
	ln -sf liblinreg.so.$(VERSION_MAJOR) $(LIBDIR)/liblinreg.so

venv:
	@bash scripts/venv.sh

test: lib test-swift test-header test-isa test-install test-c test-stress test-fuzz test-python
	@echo "make test: all suites passed"

# The "every instruction set" Swift tests must run every set this CPU has.
LINREG_REQUIRE_ISA ?= $(shell if grep -qw avx512f /proc/cpuinfo; then echo avx512; elif grep -qw avx2 /proc/cpuinfo; then echo avx2; else echo baseline; fi)

test-swift:
	LINREG_REQUIRE_ISA=$(LINREG_REQUIRE_ISA) swift test
	bash scripts/check-readme-swift.sh
	swift run linreg-swift-example | tee /dev/stderr | grep -qx 'W = \[2.0, -3.0\], b = \[1.0\]'

test-header: lib
	bash scripts/check-header.sh --self-test
	bash scripts/check-header.sh

test-c: lib
	$(MAKE) -C bindings/c test LINREG_LIBDIR=$(LIBDIR) LINREG_INCDIR=$(CURDIR)/include DATA=$(DATA)

# The shipped library runs on any x86-64: AVX2/AVX-512 code only in the dispatched kernels.
test-isa: lib
	bash scripts/check-kernel-isa.sh $(LIBFILE)

# make install into a temporary prefix; the README's C example against it.
test-install: lib
	bash scripts/check-install.sh

# Speed against numpy, scikit-learn and PyTorch, interleaved; writes BENCHMARKS.md.
bench: lib
	venv=$$(bash scripts/venv.sh) && \
	LINREG_LIBRARY=$(LIBDIR)/liblinreg.so "$$venv/bin/python" bench/run_bench.py --data $(DATA) --out BENCHMARKS.md

# Extremes, thread stress (plain and ThreadSanitizer) and valgrind leak checks.
test-stress: lib
	$(MAKE) -C bindings/c/stress test LINREG_LIBDIR=$(LIBDIR) LINREG_INCDIR=$(CURDIR)/include DATA=$(DATA)

# Each libFuzzer harness for a short bounded time; `make fuzz` runs them longer.
test-fuzz: lib
	$(MAKE) -C bindings/c/fuzz short SHORT_SECONDS=20 LINREG_LIBDIR=$(LIBDIR) LINREG_INCDIR=$(CURDIR)/include

fuzz: lib
	$(MAKE) -C bindings/c/fuzz run FUZZ_SECONDS=$${FUZZ_SECONDS:-300} LINREG_LIBDIR=$(LIBDIR) LINREG_INCDIR=$(CURDIR)/include
	$(MAKE) -C bindings/c/stress tsan-instrumented LINREG_LIBDIR=$(LIBDIR) LINREG_INCDIR=$(CURDIR)/include

test-python: lib
	venv=$$(bash scripts/venv.sh) && \
	LINREG_LIBRARY=$(LIBDIR)/liblinreg.so LINREG_ADVERTISING_CSV=$(DATA) \
	"$$venv/bin/python" -m pytest bindings/python/tests -q $(PYTEST_ARGS)

# The wheel and the linreg command on their own (make test runs both within test-python):
# the platform wheel built through this Makefile, installed in a fresh venv and used outside the tree.
.PHONY: test-wheel
test-wheel: lib
	DATA=$(DATA) bash scripts/check-wheel.sh $(PYTEST_ARGS)

demo: lib
	$(MAKE) -C bindings/c demo LINREG_LIBDIR=$(LIBDIR) LINREG_INCDIR=$(CURDIR)/include DATA=$(DATA)
	venv=$$(bash scripts/venv.sh) && \
	LINREG_LIBRARY=$(LIBDIR)/liblinreg.so "$$venv/bin/python" bindings/python/compare_torch.py --data $(DATA) --plots $(BUILD)/demo

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(LIBFILE) $(DESTDIR)$(PREFIX)/lib/
	ln -sf liblinreg.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/liblinreg.so.$(VERSION_MAJOR)
	ln -sf liblinreg.so.$(VERSION_MAJOR) $(DESTDIR)$(PREFIX)/lib/liblinreg.so
	install -m 0644 include/linreg.h $(DESTDIR)$(PREFIX)/include/
	install -d $(DESTDIR)$(PREFIX)/share/doc/liblinreg
	install -m 0644 LICENSE CHANGELOG.md $(DESTDIR)$(PREFIX)/share/doc/liblinreg/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' scripts/linreg.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/linreg.pc

clean:
	rm -rf .build .build-fuzz .build-tsan .build-header $(BUILD)
	$(MAKE) -C bindings/c clean
	$(MAKE) -C bindings/c/fuzz clean
