#if canImport(Glibc)
import Glibc
#endif
import LinRegKernels
import LinRegKernelsBaseline
import LinRegKernelsAVX2
import LinRegKernelsAVX512

/// Run-time choice of the instruction set of the data-parallel kernels
/// (moments, residuals and prediction).
///
/// The library itself is compiled for the baseline of its target (SSE2 on
/// x86-64), so it loads and runs on any x86-64 CPU. The kernels are also
/// compiled for AVX2 and AVX-512 (separate modules with `-target-cpu`, see
/// Package.swift) and called only when the CPU has the features those builds
/// may use, as listed by the kernel in `/proc/cpuinfo` (Linux lists a vector
/// extension only when the OS also saves its registers):
///
/// * `.avx512`: avx512f, avx512cd, avx512bw, avx512dq, avx512vl and the AVX2 set;
/// * `.avx2`: avx, avx2, fma, bmi1, bmi2, f16c, movbe, abm (LZCNT), popcnt, sse4_2;
/// * `.baseline` otherwise (and on every other architecture or OS).
///
/// Environment overrides, read once when the library first needs a kernel:
/// `LINREG_DISABLE_AVX512=1` caps the choice at AVX2, `LINREG_DISABLE_AVX2=1`
/// at the baseline. Under valgrind (detected by its preload library in
/// `LD_PRELOAD`), whose CPU emulation has no AVX-512 while /proc/cpuinfo
/// still lists the host's, the choice is capped at AVX2. Every level computes
/// bit-identical results (the kernels run the same IEEE operations in the same
/// order; see `MomentsKernel` and `PredictionKernel`), so the choice changes
/// speed only.
enum KernelDispatch {
    enum Level: Int, Comparable, CaseIterable, Sendable {
        case baseline = 0
        case avx2 = 1
        case avx512 = 2

        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        var name: String {
            switch self {
            case .baseline: return "baseline"
            case .avx2: return "avx2"
            case .avx512: return "avx512"
            }
        }
    }

    /// The best level this CPU supports (before the environment overrides).
    static let supported: Level = CPUFeatures.detectLevel()

    /// The level the kernels use: ``supported`` capped by the environment.
    static let active: Level = {
        var level = supported
        if environmentFlag("LINREG_DISABLE_AVX512") || underValgrind { level = min(level, .avx2) }
        if environmentFlag("LINREG_DISABLE_AVX2") { level = .baseline }
        return level
    }()

    /// `requested` when the CPU supports it, else ``active``'s choice capped
    /// at it (tests force lower levels this way).
    static func level(_ requested: Level?) -> Level {
        guard let requested else { return active }
        return min(requested, supported)
    }

    /// Whether valgrind runs the process (its tools preload vgpreload_*.so).
    private static var underValgrind: Bool {
        #if canImport(Glibc)
        guard let value = getenv("LD_PRELOAD") else { return false }
        return String(cString: value).contains("vgpreload")
        #else
        return false
        #endif
    }

    private static func environmentFlag(_ name: String) -> Bool {
        #if canImport(Glibc)
        guard let value = getenv(name) else { return false }
        let text = String(cString: value)
        return !(text.isEmpty || text == "0")
        #else
        return false
        #endif
    }

    // MARK: Kernels

    /// The moments of one chunk (see `MomentsKernel`).
    @inline(__always)
    /// `E` is Float or Double (callers go through ``ConcreteElement`` first).
    static func moments<E: TrainingScalar>(_ job: MomentsJob, element _: E.Type, level: Level) {
        let float = E.self == Float.self
        switch level {
        case .avx512:
            if float { AVX512Kernels.momentsFloat(job) } else { AVX512Kernels.momentsDouble(job) }
        case .avx2:
            if float { AVX2Kernels.momentsFloat(job) } else { AVX2Kernels.momentsDouble(job) }
        case .baseline:
            if float { BaselineKernels.momentsFloat(job) } else { BaselineKernels.momentsDouble(job) }
        }
    }

    /// The residual sums of a range of rows (see `ResidualKernel`).
    @inline(__always)
    /// `E` is Float or Double (callers go through ``ConcreteElement`` first).
    static func residuals<E: TrainingScalar>(_ job: ResidualJob, element _: E.Type, level: Level) {
        let float = E.self == Float.self
        switch level {
        case .avx512:
            if float { AVX512Kernels.residualsFloat(job) } else { AVX512Kernels.residualsDouble(job) }
        case .avx2:
            if float { AVX2Kernels.residualsFloat(job) } else { AVX2Kernels.residualsDouble(job) }
        case .baseline:
            if float { BaselineKernels.residualsFloat(job) } else { BaselineKernels.residualsDouble(job) }
        }
    }

    /// Predictions of a range of rows (see `PredictionKernel`); false when
    /// one is not finite.
    @inline(__always)
    /// `E` is Float or Double (callers go through ``ConcreteElement`` first).
    static func predict<E: TrainingScalar>(_ job: PredictionJob, element _: E.Type, level: Level) -> Bool {
        let float = E.self == Float.self
        switch level {
        case .avx512:
            return float ? AVX512Kernels.predictFloat(job) : AVX512Kernels.predictDouble(job)
        case .avx2:
            return float ? AVX2Kernels.predictFloat(job) : AVX2Kernels.predictDouble(job)
        case .baseline:
            return float ? BaselineKernels.predictFloat(job) : BaselineKernels.predictDouble(job)
        }
    }

    @inline(__always)
    static func leaveOneOut<E: TrainingScalar>(_ job: LeaveOneOutJob, element _: E.Type, level: Level) {
        let float = E.self == Float.self
        switch level {
        case .avx512:
            if float { AVX512Kernels.leaveOneOutFloat(job) } else { AVX512Kernels.leaveOneOutDouble(job) }
        case .avx2:
            if float { AVX2Kernels.leaveOneOutFloat(job) } else { AVX2Kernels.leaveOneOutDouble(job) }
        case .baseline:
            if float { BaselineKernels.leaveOneOutFloat(job) } else { BaselineKernels.leaveOneOutDouble(job) }
        }
    }
    /// The double-double Householder reduction's row loops (see `DoubleDoubleKernel`).
    static func doubleDoubleSquaredNorm(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>, rows: Int,
                                        level: Level) -> DoubleDouble {
        let (h, l): (Double, Double)
        switch level {
        case .avx512: (h, l) = AVX512Kernels.doubleDoubleSquaredNorm(vh, vl, rows: rows)
        case .avx2: (h, l) = AVX2Kernels.doubleDoubleSquaredNorm(vh, vl, rows: rows)
        case .baseline: (h, l) = BaselineKernels.doubleDoubleSquaredNorm(vh, vl, rows: rows)
        }
        return DoubleDouble(h, l)
    }

    /// Σ x[i]·y[i] over `count` doubles (`DotKernel`: the same bits on every level).
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int, level: Level) -> Double {
        switch level {
        case .avx512: AVX512Kernels.dot(x, y, count: count)
        case .avx2: AVX2Kernels.dot(x, y, count: count)
        case .baseline: BaselineKernels.dot(x, y, count: count)
        }
    }

    /// Lane r: `dot(x + r·xStride, y + r·yStride, count: count + r·countStep)`,
    /// the same bits as four calls of ``dot(_:_:count:level:)``.
    static func dots4(_ x: UnsafePointer<Double>, xStride: Int, _ y: UnsafePointer<Double>, yStride: Int,
                      count: Int, countStep: Int = 0, level: Level) -> SIMD4<Double> {
        switch level {
        case .avx512:
            AVX512Kernels.dots4(x, xStride: xStride, y, yStride: yStride, count: count, countStep: countStep)
        case .avx2: AVX2Kernels.dots4(x, xStride: xStride, y, yStride: yStride, count: count, countStep: countStep)
        case .baseline:
            BaselineKernels.dots4(x, xStride: xStride, y, yStride: yStride, count: count, countStep: countStep)
        }
    }

    static func doubleDoubleDot(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>, _ wh: UnsafePointer<Double>,
                                _ wl: UnsafePointer<Double>, rows: Int, level: Level) -> DoubleDouble {
        let (h, l): (Double, Double)
        switch level {
        case .avx512: (h, l) = AVX512Kernels.doubleDoubleDot(vh, vl, wh, wl, rows: rows)
        case .avx2: (h, l) = AVX2Kernels.doubleDoubleDot(vh, vl, wh, wl, rows: rows)
        case .baseline: (h, l) = BaselineKernels.doubleDoubleDot(vh, vl, wh, wl, rows: rows)
        }
        return DoubleDouble(h, l)
    }

    static func doubleDoubleSubtractMultiple(_ t: DoubleDouble, _ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                             _ wh: UnsafeMutablePointer<Double>, _ wl: UnsafeMutablePointer<Double>,
                                             rows: Int, level: Level) {
        switch level {
        case .avx512: AVX512Kernels.doubleDoubleSubtractMultiple(t.hi, t.lo, vh, vl, wh, wl, rows: rows)
        case .avx2: AVX2Kernels.doubleDoubleSubtractMultiple(t.hi, t.lo, vh, vl, wh, wl, rows: rows)
        case .baseline: BaselineKernels.doubleDoubleSubtractMultiple(t.hi, t.lo, vh, vl, wh, wl, rows: rows)
        }
    }

    /// One block of the robust covariance's pass (see `CovarianceKernel`).
    @inline(__always)
    static func covariance<E: TrainingScalar>(_ job: CovarianceJob, element _: E.Type, level: Level) {
        let float = E.self == Float.self
        switch level {
        case .avx512:
            if float { AVX512Kernels.covarianceFloat(job) } else { AVX512Kernels.covarianceDouble(job) }
        case .avx2:
            if float { AVX2Kernels.covarianceFloat(job) } else { AVX2Kernels.covarianceDouble(job) }
        case .baseline:
            if float { BaselineKernels.covarianceFloat(job) } else { BaselineKernels.covarianceDouble(job) }
        }
    }
}

/// What the CPU offers, from `/proc/cpuinfo`.
enum CPUFeatures {
    static let avx2Flags = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm", "popcnt", "sse4_2"]
    static let avx512Flags = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    static func detectLevel() -> KernelDispatch.Level {
        #if arch(x86_64) && canImport(Glibc)
        guard AVX2Kernels.isAvailable, let flags = cpuFlags() else { return .baseline }
        guard avx2Flags.allSatisfy(flags.contains) else { return .baseline }
        guard AVX512Kernels.isAvailable, avx512Flags.allSatisfy(flags.contains) else { return .avx2 }
        return .avx512
        #else
        return .baseline
        #endif
    }

    /// The words of the first `flags` line of /proc/cpuinfo, or nil.
    static func cpuFlags() -> Set<String>? {
        #if canImport(Glibc)
        let fd = open("/proc/cpuinfo", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        // Read until the first flags line is complete (or 4 MiB, or EOF).
        while bytes.count < (4 << 20) {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            bytes.append(contentsOf: buffer[0 ..< got])
            if let line = flagsLine(bytes), line.complete { break }
        }
        guard let line = flagsLine(bytes) else { return nil }
        return Set(line.text.split(separator: " ").map(String.init))
        #else
        return nil
        #endif
    }

    /// The text after "flags … :" on the first flags line, and whether that
    /// line ended (a newline was seen).
    static func flagsLine(_ bytes: [UInt8]) -> (text: String, complete: Bool)? {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end &+= 1 }
            let line = bytes[start ..< end]
            if line.starts(with: Array("flags".utf8)), let colon = line.firstIndex(of: 58) {
                let text = String(decoding: line[(colon &+ 1)...], as: UTF8.self)
                    .replacingTabs()
                return (text, end < bytes.count)
            }
            start = end &+ 1
        }
        return nil
    }
}

private extension String {
    func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
