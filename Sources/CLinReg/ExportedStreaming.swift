import LinReg

// Streaming fits (one chunk of rows per call) and merging of models fitted
// on disjoint rows. The checks and views are those of the fit entry points
// (ExportedFitting.swift); the engine's `partialFit` and `merge` do the rest.

@_cdecl("linreg_partial_fit_f32")
public func linreg_partial_fit_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                   _ nSamples: Int64) -> Int32 {
    fit("linreg_partial_fit_f32", model, X, Y, nil, weighted: false, nSamples, partial: true)
}

@_cdecl("linreg_partial_fit_f64")
public func linreg_partial_fit_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                                   _ nSamples: Int64) -> Int32 {
    fit("linreg_partial_fit_f64", model, X, Y, nil, weighted: false, nSamples, partial: true)
}

@_cdecl("linreg_partial_fit_weighted_f32")
public func linreg_partial_fit_weighted_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?,
                                            _ Y: UnsafePointer<Float>?, _ sampleWeight: UnsafePointer<Float>?,
                                            _ nSamples: Int64) -> Int32 {
    fit("linreg_partial_fit_weighted_f32", model, X, Y, sampleWeight, weighted: true, nSamples, partial: true)
}

@_cdecl("linreg_partial_fit_weighted_f64")
public func linreg_partial_fit_weighted_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?,
                                            _ Y: UnsafePointer<Double>?, _ sampleWeight: UnsafePointer<Double>?,
                                            _ nSamples: Int64) -> Int32 {
    fit("linreg_partial_fit_weighted_f64", model, X, Y, sampleWeight, weighted: true, nSamples, partial: true)
}

@_cdecl("linreg_merge")
public func linreg_merge(_ into: OpaquePointer?, _ other: OpaquePointer?) -> Int32 {
    guarded("linreg_merge") {
        let target = ModelHandle.from(try required(into, "into"))
        let source = ModelHandle.from(try required(other, "other"))
        guard target !== source else {
            throw invalid("into and other are the same model: merging a model with itself would count its rows twice")
        }
        try target.model.merge(source.model)
    }
}
