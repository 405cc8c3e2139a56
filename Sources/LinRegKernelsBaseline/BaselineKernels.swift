import LinRegKernels

/// This module's instruction-set tag (see `InstructionSetTag`).
public enum BaselineTag: InstructionSetTag {}

/// The kernels of `LinRegKernels` compiled for the baseline instruction set
/// of the build (SSE2 on x86-64): two-lane co-moment tiles of 12 columns (16
/// vector registers). `LinRegKernelsAVX2` and `LinRegKernelsAVX512` compile
/// the very same code for wider registers; `LinReg` picks one at run time.
/// Like theirs, this module is optimised in debug builds too (Package.swift),
/// and specialises the generic kernels itself.
public enum BaselineKernels {
    @inline(never)
    public static func momentsFloat(_ job: MomentsJob) {
        MomentsKernel.accumulate(job, element: Float.self, vector: SIMD2<Double>.self, wide: false,
                                    tag: BaselineTag.self)
    }

    @inline(never)
    public static func momentsDouble(_ job: MomentsJob) {
        MomentsKernel.accumulate(job, element: Double.self, vector: SIMD2<Double>.self, wide: false,
                                    tag: BaselineTag.self)
    }

    @inline(never)
    public static func predictFloat(_ job: PredictionJob) -> Bool {
        PredictionKernel.predict(job, element: Float.self, tag: BaselineTag.self)
    }

    @inline(never)
    public static func predictDouble(_ job: PredictionJob) -> Bool {
        PredictionKernel.predict(job, element: Double.self, tag: BaselineTag.self)
    }

    @inline(never)
    public static func residualsFloat(_ job: ResidualJob) {
        ResidualKernel.accumulate(job, element: Float.self, tag: BaselineTag.self)
    }

    @inline(never)
    public static func residualsDouble(_ job: ResidualJob) {
        ResidualKernel.accumulate(job, element: Double.self, tag: BaselineTag.self)
    }

    /// Ridge leave-one-out errors (`LeaveOneOutKernel`), since 0.2.
    @inline(never)
    public static func leaveOneOutFloat(_ job: LeaveOneOutJob) {
        LeaveOneOutKernel.run(job, element: Float.self, tag: BaselineTag.self)
    }

    @inline(never)
    public static func leaveOneOutDouble(_ job: LeaveOneOutJob) {
        LeaveOneOutKernel.run(job, element: Double.self, tag: BaselineTag.self)
    }

    /// The robust covariance's blocks (`CovarianceKernel`), since 0.2.
    @inline(never)
    public static func covarianceFloat(_ job: CovarianceJob) {
        CovarianceKernel.run(job, element: Float.self, vector: SIMD2<Double>.self, wide: false, tag: BaselineTag.self)
    }

    @inline(never)
    public static func covarianceDouble(_ job: CovarianceJob) {
        CovarianceKernel.run(job, element: Double.self, vector: SIMD2<Double>.self, wide: false, tag: BaselineTag.self)
    }

    /// Inner products of the solver's O(p³) steps (`DotKernel`).
    @inline(never)
    public static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        DotKernel.dot(x, y, count: count, tag: BaselineTag.self)
    }

    /// Four inner products at once (`DotKernel.dots4`), since 0.2.
    @inline(never)
    public static func dots4(_ x: UnsafePointer<Double>, xStride: Int, _ y: UnsafePointer<Double>, yStride: Int,
                             count: Int, countStep: Int) -> SIMD4<Double> {
        DotKernel.dots4(x, xStride: xStride, y, yStride: yStride, count: count, countStep: countStep,
                        interleaved: false, tag: BaselineTag.self)
    }

    /// The double-double Householder reduction's row loops (`DoubleDoubleKernel`), since 0.2.
    @inline(never)
    public static func doubleDoubleSquaredNorm(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                               rows: Int) -> (Double, Double) {
        DoubleDoubleKernel.squaredNorm(vh, vl, rows: rows, fused: false, tag: BaselineTag.self)
    }

    @inline(never)
    public static func doubleDoubleDot(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                       _ wh: UnsafePointer<Double>, _ wl: UnsafePointer<Double>,
                                       rows: Int) -> (Double, Double) {
        DoubleDoubleKernel.dot(vh, vl, wh, wl, rows: rows, fused: false, tag: BaselineTag.self)
    }

    @inline(never)
    public static func doubleDoubleSubtractMultiple(_ th: Double, _ tl: Double, _ vh: UnsafePointer<Double>,
                                                    _ vl: UnsafePointer<Double>, _ wh: UnsafeMutablePointer<Double>,
                                                    _ wl: UnsafeMutablePointer<Double>, rows: Int) {
        DoubleDoubleKernel.subtractMultiple(th, tl, vh, vl, wh, wl, rows: rows, fused: false, tag: BaselineTag.self)
    }
}
