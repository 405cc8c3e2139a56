import LinReg

/// The shared body of the fit and partial-fit entry points: checks every
/// pointer and size, wraps the caller's buffers in views, and runs the
/// engine's transactional fit (or, with `partial`, partial fit).
func fit<E: TrainingScalar>(
    _ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?, _ Y: UnsafePointer<E>?,
    _ sampleWeight: UnsafePointer<E>?, weighted: Bool, _ nSamples: Int64, partial: Bool = false
) -> Int32 {
    guarded(name) {
        let h = try handle(model)
        let X = try required(X, "X")
        let Y = try required(Y, "Y")
        let n = try SizeChecks.sampleCount(nSamples)
        let size = MemoryLayout<E>.stride
        _ = try SizeChecks.elements(n, h.model.featureCount, of: "X", elementSize: size)
        _ = try SizeChecks.elements(n, h.model.outputCount, of: "Y", elementSize: size)
        var weights: VectorView<E>?
        if weighted {
            weights = VectorView(base: try required(sampleWeight, "sample_weight"), count: n)
        }
        let xView = MatrixView(base: X, rows: n, columns: h.model.featureCount)
        let yView = MatrixView(base: Y, rows: n, columns: h.model.outputCount)
        if partial {
            try h.model.partialFit(X: xView, Y: yView, sampleWeight: weights, progress: h.progress?.handler)
        } else {
            try h.model.fit(X: xView, Y: yView, sampleWeight: weights, progress: h.progress?.handler)
        }
    }
}

@_cdecl("linreg_fit_f32")
public func linreg_fit_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                           _ nSamples: Int64) -> Int32 {
    fit("linreg_fit_f32", model, X, Y, nil, weighted: false, nSamples)
}

@_cdecl("linreg_fit_f64")
public func linreg_fit_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                           _ nSamples: Int64) -> Int32 {
    fit("linreg_fit_f64", model, X, Y, nil, weighted: false, nSamples)
}

@_cdecl("linreg_fit_weighted_f32")
public func linreg_fit_weighted_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                    _ sampleWeight: UnsafePointer<Float>?, _ nSamples: Int64) -> Int32 {
    fit("linreg_fit_weighted_f32", model, X, Y, sampleWeight, weighted: true, nSamples)
}

@_cdecl("linreg_fit_weighted_f64")
public func linreg_fit_weighted_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                                    _ sampleWeight: UnsafePointer<Double>?, _ nSamples: Int64) -> Int32 {
    fit("linreg_fit_weighted_f64", model, X, Y, sampleWeight, weighted: true, nSamples)
}
