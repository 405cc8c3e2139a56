/*
 * A cache-line prefetch hint for the Swift kernels (LinRegKernels), which
 * have no prefetch instruction of their own: Swift imports this static
 * inline function and inlines it as one instruction (prefetcht0 on x86-64,
 * prfm on arm64). It never faults and changes no value; the kernels use it
 * to ask for the next block of rows while they compute on the current one.
 *
 * Internal to the build: not installed, not part of include/linreg.h.
 */
#ifndef LINREG_PREFETCH_H
#define LINREG_PREFETCH_H

static inline __attribute__((always_inline)) void linreg_prefetch_line(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
