// swift-tools-version:6.0
// liblinreg: a linear-regression engine in Swift behind a stable C ABI.
//
// Targets, one layer each:
//   LinReg   the pure-Swift engine (no C types, no Foundation); also a Swift library product.
//   CLinReg  the thin C-ABI layer: @_cdecl entry points declared in include/linreg.h.
// The shipped liblinreg.so is the `linreg` dynamic product, linked by `make` with the
// Swift standard library static, a SONAME and an export list (see Makefile).
import PackageDescription

let package = Package(
    name: "liblinreg",
    products: [
        .library(name: "LinReg", targets: ["LinReg"]),
        .library(name: "linreg", type: .dynamic, targets: ["CLinReg"]),
    ],
    targets: [
        .target(
            name: "LinReg",
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "CLinReg", dependencies: ["LinReg"]),
        .testTarget(name: "LinRegTests", dependencies: ["LinReg"]),
        .testTarget(name: "CLinRegTests", dependencies: ["CLinReg", "LinReg"]),
    ]
)
