import LinRegKernels

/// This module's instruction-set tag (see `InstructionSetTag`).
public enum AVX512Tag: InstructionSetTag {}

/// The kernels of `LinRegKernels` compiled for AVX-512 (`-target-cpu
/// skylake-avx512`, see Package.swift: AVX-512 F, CD, BW, DQ and VL, no
/// later extensions): eight-lane co-moment tiles of up to 24 columns (32 zmm
/// registers). Call only on a CPU with those features plus the AVX2 set
/// (`LinReg`'s `CPUFeatures` checks). The entry points are `@inline(never)`
/// so that no caller can inline them into code compiled for another
/// instruction set.
public enum AVX512Kernels {
    #if arch(x86_64)
    public static let isAvailable = true
    #else
    public static let isAvailable = false
    #endif

    @inline(never)
    public static func momentsFloat(_ job: MomentsJob) {
        MomentsKernel.accumulate(job, element: Float.self, vector: SIMD8<Double>.self, wide: true,
                                    tag: AVX512Tag.self)
    }

    @inline(never)
    public static func momentsDouble(_ job: MomentsJob) {
        MomentsKernel.accumulate(job, element: Double.self, vector: SIMD8<Double>.self, wide: true,
                                    tag: AVX512Tag.self)
    }

    @inline(never)
    public static func predictFloat(_ job: PredictionJob) -> Bool {
        PredictionKernel.predict(job, element: Float.self, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func predictDouble(_ job: PredictionJob) -> Bool {
        PredictionKernel.predict(job, element: Double.self, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func residualsFloat(_ job: ResidualJob) {
        ResidualKernel.accumulate(job, element: Float.self, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func residualsDouble(_ job: ResidualJob) {
        ResidualKernel.accumulate(job, element: Double.self, tag: AVX512Tag.self)
    }

    /// Ridge leave-one-out errors (`LeaveOneOutKernel`), since 0.2.
    @inline(never)
    public static func leaveOneOutFloat(_ job: LeaveOneOutJob) {
        LeaveOneOutKernel.run(job, element: Float.self, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func leaveOneOutDouble(_ job: LeaveOneOutJob) {
        LeaveOneOutKernel.run(job, element: Double.self, tag: AVX512Tag.self)
    }

    /// The robust covariance's blocks (`CovarianceKernel`), since 0.2.
    @inline(never)
    public static func covarianceFloat(_ job: CovarianceJob) {
        CovarianceKernel.run(job, element: Float.self, vector: SIMD8<Double>.self, wide: true, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func covarianceDouble(_ job: CovarianceJob) {
        CovarianceKernel.run(job, element: Double.self, vector: SIMD8<Double>.self, wide: true, tag: AVX512Tag.self)
    }

    /// Inner products of the solver's O(p³) steps (`DotKernel`).
    @inline(never)
    public static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        DotKernel.dot(x, y, count: count, tag: AVX512Tag.self)
    }

    /// Four inner products at once (`DotKernel.dots4`), since 0.2.
    @inline(never)
    public static func dots4(_ x: UnsafePointer<Double>, xStride: Int, _ y: UnsafePointer<Double>, yStride: Int,
                             count: Int, countStep: Int) -> SIMD4<Double> {
        DotKernel.dots4(x, xStride: xStride, y, yStride: yStride, count: count, countStep: countStep,
                        interleaved: true, tag: AVX512Tag.self)
    }

    /// The double-double Householder reduction's row loops (`DoubleDoubleKernel`), since 0.2.
    @inline(never)
    public static func doubleDoubleSquaredNorm(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                               rows: Int) -> (Double, Double) {
        DoubleDoubleKernel.squaredNorm(vh, vl, rows: rows, fused: true, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func doubleDoubleDot(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                       _ wh: UnsafePointer<Double>, _ wl: UnsafePointer<Double>,
                                       rows: Int) -> (Double, Double) {
        DoubleDoubleKernel.dot(vh, vl, wh, wl, rows: rows, fused: true, tag: AVX512Tag.self)
    }

    @inline(never)
    public static func doubleDoubleSubtractMultiple(_ th: Double, _ tl: Double, _ vh: UnsafePointer<Double>,
                                                    _ vl: UnsafePointer<Double>, _ wh: UnsafeMutablePointer<Double>,
                                                    _ wl: UnsafeMutablePointer<Double>, rows: Int) {
        DoubleDoubleKernel.subtractMultiple(th, tl, vh, vl, wh, wl, rows: rows, fused: true, tag: AVX512Tag.self)
    }
}
