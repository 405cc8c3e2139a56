import LinReg

// Ridge penalty selection (scikit-learn RidgeCV, cv=None): the exact
// leave-one-out errors of many penalties from the model's exact statistics
// in one pass over the rows, and the per-output solve that commits the
// chosen penalties. Validation here; the engine does the rest
// (LinearModel+RidgeCV.swift).

/// The shared body of linreg_ridgecv_loo_f32/_f64.
func ridgeLeaveOneOut<E: TrainingScalar>(
    _ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?, _ Y: UnsafePointer<E>?,
    _ sampleWeight: UnsafePointer<E>?, _ nSamples: Int64, _ alphas: UnsafePointer<Double>?, _ nAlphas: Int64,
    _ errorSums: UnsafeMutablePointer<Double>?, _ squaredErrors: UnsafeMutablePointer<Double>?
) -> Int32 {
    guarded(name) {
        let m = try handle(model).model
        let X = try required(X, "X")
        let Y = try required(Y, "Y")
        let alphas = try required(alphas, "alphas")
        let sums = try required(errorSums, "error_sums")
        let n = try SizeChecks.sampleCount(nSamples)
        guard nAlphas >= 1 else { throw invalid("n_alphas = \(nAlphas) must be at least 1") }
        guard let a = Int(exactly: nAlphas) else { throw invalid("n_alphas = \(nAlphas) is too large") }
        let size = MemoryLayout<E>.stride
        _ = try SizeChecks.elements(n, m.featureCount, of: "X", elementSize: size)
        _ = try SizeChecks.elements(n, m.outputCount, of: "Y", elementSize: size)
        let width = try SizeChecks.elements(a, m.outputCount, of: "error_sums", elementSize: 8)
        if squaredErrors != nil {
            let perRow = try SizeChecks.elements(n, m.outputCount, of: "squared_errors", elementSize: 8)
            _ = try SizeChecks.elements(perRow, a, of: "squared_errors", elementSize: 8)
        }
        let weights = sampleWeight.map { VectorView(base: $0, count: n) }
        try MemoryReservation.ensureDoubles(a, for: "a copy of \(a) alphas")
        let values = Array(UnsafeBufferPointer(start: alphas, count: a))
        let result = try m.ridgeLeaveOneOutErrors(
            X: MatrixView(base: X, rows: n, columns: m.featureCount),
            Y: MatrixView(base: Y, rows: n, columns: m.outputCount),
            sampleWeight: weights, alphas: values, rowErrors: squaredErrors)
        guard result.count == width else {
            throw EngineError.internal("leave-one-out sums have \(result.count) values for \(width)")
        }
        for i in 0 ..< width { sums[i] += result[i] }
    }
}

@_cdecl("linreg_ridgecv_loo_f32")
public func linreg_ridgecv_loo_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                   _ sampleWeight: UnsafePointer<Float>?, _ nSamples: Int64,
                                   _ alphas: UnsafePointer<Double>?, _ nAlphas: Int64,
                                   _ errorSums: UnsafeMutablePointer<Double>?,
                                   _ squaredErrors: UnsafeMutablePointer<Double>?) -> Int32 {
    ridgeLeaveOneOut("linreg_ridgecv_loo_f32", model, X, Y, sampleWeight, nSamples, alphas, nAlphas, errorSums,
                     squaredErrors)
}

@_cdecl("linreg_ridgecv_loo_f64")
public func linreg_ridgecv_loo_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                                   _ sampleWeight: UnsafePointer<Double>?, _ nSamples: Int64,
                                   _ alphas: UnsafePointer<Double>?, _ nAlphas: Int64,
                                   _ errorSums: UnsafeMutablePointer<Double>?,
                                   _ squaredErrors: UnsafeMutablePointer<Double>?) -> Int32 {
    ridgeLeaveOneOut("linreg_ridgecv_loo_f64", model, X, Y, sampleWeight, nSamples, alphas, nAlphas, errorSums,
                     squaredErrors)
}

@_cdecl("linreg_ridgecv_solve")
public func linreg_ridgecv_solve(_ model: OpaquePointer?, _ alphas: UnsafePointer<Double>?) -> Int32 {
    guarded("linreg_ridgecv_solve") {
        let h = try handle(model)
        let alphas = try required(alphas, "alphas")
        let values = Array(UnsafeBufferPointer(start: alphas, count: h.model.outputCount))
        try h.model.solveRidgePerOutput(alphas: values)
    }
}
