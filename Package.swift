// swift-tools-version:6.0
// liblinreg: a linear-regression engine in Swift behind a stable C ABI.
//
// Targets, one layer each:
//   LinReg   the pure-Swift engine (no C types, no Foundation); also a Swift library product.
//   LinRegKernels  the data-parallel kernels (pure Swift, generic), compiled for each instruction
//                  set by LinRegKernelsBaseline, LinRegKernelsAVX2 and LinRegKernelsAVX512.
//   LinRegPrefetch one static inline C function (a cache-line prefetch hint) the kernels inline.
//   CLinReg  the thin C-ABI layer: @_cdecl entry points declared in include/linreg.h.
// The shipped liblinreg.so is the `linreg` dynamic product, linked by `make` with the
// Swift standard library static, a SONAME and an export list (see Makefile).
import PackageDescription

/// Release builds of the engine and its kernels: no bounds or exclusivity checks.
let unchecked: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The kernels are optimised in every configuration: in a debug build too the
/// AVX modules must specialise (and so compile for their CPU) the generic
/// kernel code, or the tests of the dispatched paths would test nothing.
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

// The kernels are compiled three times (one module each): for the build's baseline (SSE2 on
// x86-64, so the library runs on any x86-64 CPU), for AVX2 and for AVX-512.
// LinReg picks one at run time (Sources/LinReg/Passes/KernelDispatch.swift).
// The target CPUs name feature sets, not tunings: haswell = AVX2, FMA, BMI1/2,
// F16C, MOVBE, LZCNT; skylake-avx512 = those plus AVX-512 F/CD/BW/DQ/VL.
#if arch(x86_64)
let avx2: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
let avx512: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
let avx2: [SwiftSetting] = []
let avx512: [SwiftSetting] = []
#endif

let package = Package(
    name: "liblinreg",
    products: [
        .library(name: "LinReg", targets: ["LinReg"]),
        .library(name: "linreg", type: .dynamic, targets: ["CLinReg"]),
    ],
    targets: [
        // A header-only C module: the cache-line prefetch hint the kernels use (Swift has none).
        .target(name: "LinRegPrefetch"),
        .target(name: "LinRegKernels", dependencies: ["LinRegPrefetch"], swiftSettings: kernelSettings),
        .target(name: "LinRegKernelsBaseline", dependencies: ["LinRegKernels"], swiftSettings: kernelSettings),
        .target(name: "LinRegKernelsAVX2", dependencies: ["LinRegKernels"], swiftSettings: kernelSettings + avx2),
        .target(name: "LinRegKernelsAVX512", dependencies: ["LinRegKernels"], swiftSettings: kernelSettings + avx512),
        .target(
            name: "LinReg",
            dependencies: ["LinRegKernels", "LinRegKernelsBaseline", "LinRegKernelsAVX2", "LinRegKernelsAVX512"],
            swiftSettings: unchecked
        ),
        .target(name: "CLinReg", dependencies: ["LinReg"]),
        // The README's Swift example, built by `swift test` and run by `make test-swift`.
        .executableTarget(name: "linreg-swift-example", dependencies: ["LinReg"], path: "Examples/swift"),
        .testTarget(name: "LinRegTests", dependencies: ["LinReg", "LinRegKernels"]),
        .testTarget(name: "CLinRegTests", dependencies: ["CLinReg", "LinReg"]),
    ]
)
