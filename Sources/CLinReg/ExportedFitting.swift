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
        let data = try DataArguments(X: X, Y: Y, nSamples: nSamples, features: h.model.featureCount,
                                     outputs: h.model.outputCount)
        var weights: VectorView<E>?
        if weighted {
            weights = VectorView(base: try required(sampleWeight, "sample_weight"), count: data.rows)
        }
        if partial {
            try h.model.partialFit(X: data.X, Y: data.Y, sampleWeight: weights, progress: h.progress?.handler)
        } else {
            try h.model.fit(X: data.X, Y: data.Y, sampleWeight: weights, progress: h.progress?.handler)
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
