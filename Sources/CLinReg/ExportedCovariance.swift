import LinReg

// Inference under a chosen covariance estimator (LINREG_PARAM_COV_TYPE):
// the robust covariance's pass, merging of passes, the covariance matrix,
// Wald tests and prediction intervals. Checks and views here; the math is
// the engine's (LinearModel+Covariance.swift, CoefficientInference).

@_cdecl("linreg_cov_begin")
public func linreg_cov_begin(_ model: OpaquePointer?) -> Int32 {
    guarded("linreg_cov_begin") {
        try handle(model).model.beginCovariancePass()
    }
}

/// The shared body of linreg_cov_pass_f32/f64.
private func covariancePass<E: TrainingScalar>(
    _ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?, _ Y: UnsafePointer<E>?,
    _ sampleWeight: UnsafePointer<E>?, _ groups: UnsafePointer<Int64>?, _ nWays: Int64, _ nSamples: Int64
) -> Int32 {
    guarded(name) {
        let h = try handle(model)
        let data = try DataArguments(X: X, Y: Y, nSamples: nSamples, features: h.model.featureCount,
                                     outputs: h.model.outputCount)
        let n = data.rows
        guard nWays >= 0, nWays <= 2 else { throw invalid("n_ways = \(nWays) must be 0 (no groups), 1 or 2") }
        guard (groups == nil) == (nWays == 0) else {
            throw invalid(groups == nil ? "groups is NULL but n_ways = \(nWays)" : "groups is given but n_ways = 0")
        }
        if groups != nil { _ = try SizeChecks.elements(n, Int(nWays), of: "groups", elementSize: 8) }
        let weights = sampleWeight.map { VectorView(base: $0, count: n) }
        try h.model.covariancePass(X: data.X, Y: data.Y, sampleWeight: weights, groups: groups, ways: Int(nWays))
    }
}

@_cdecl("linreg_cov_pass_f32")
public func linreg_cov_pass_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                _ sampleWeight: UnsafePointer<Float>?, _ groups: UnsafePointer<Int64>?,
                                _ nWays: Int64, _ nSamples: Int64) -> Int32 {
    covariancePass("linreg_cov_pass_f32", model, X, Y, sampleWeight, groups, nWays, nSamples)
}

@_cdecl("linreg_cov_pass_f64")
public func linreg_cov_pass_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                                _ sampleWeight: UnsafePointer<Double>?, _ groups: UnsafePointer<Int64>?,
                                _ nWays: Int64, _ nSamples: Int64) -> Int32 {
    covariancePass("linreg_cov_pass_f64", model, X, Y, sampleWeight, groups, nWays, nSamples)
}

@_cdecl("linreg_cov_merge")
public func linreg_cov_merge(_ into: OpaquePointer?, _ other: OpaquePointer?) -> Int32 {
    guarded("linreg_cov_merge") {
        let target = ModelHandle.from(try required(into, "into"))
        let source = ModelHandle.from(try required(other, "other"))
        guard target !== source else {
            throw invalid("into and other are the same model: merging a pass with itself would count its rows twice")
        }
        guard target.model.featureCount == source.model.featureCount,
              target.model.outputCount == source.model.outputCount else {
            throw invalid("the models' shapes differ")
        }
        try target.model.mergeCovariancePass(source.model)
    }
}

@_cdecl("linreg_get_cov_params")
public func linreg_get_cov_params(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_get_cov_params") {
        let m = try handle(model).model
        let out = try required(out, "out")
        let values = try m.covarianceMatrix()
        out.update(from: values, count: values.count)
    }
}

@_cdecl("linreg_wald_test")
public func linreg_wald_test(_ model: OpaquePointer?, _ output: Int64, _ R: UnsafePointer<Double>?,
                             _ q: UnsafePointer<Double>?, _ nRestrictions: Int64,
                             _ fvalue: UnsafeMutablePointer<Double>?, _ pvalue: UnsafeMutablePointer<Double>?,
                             _ dfNum: UnsafeMutablePointer<Double>?, _ dfDenom: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_wald_test") {
        let m = try handle(model).model
        let R = try required(R, "R")
        guard nRestrictions >= 1, let count = Int(exactly: nRestrictions) else {
            throw invalid("n_restrictions = \(nRestrictions) must be at least 1")
        }
        let entries = try SizeChecks.elements(count, m.featureCount + 1, of: "R", elementSize: 8)
        try MemoryReservation.ensureDoubles(entries, for: "R")
        let r = Array(UnsafeBufferPointer(start: R, count: entries))
        let values = q.map { Array(UnsafeBufferPointer(start: $0, count: count)) }
        let test = try m.waldTest(output: Int(clamping: output), restrictions: r, values: values, count: count)
        fvalue?.pointee = test.f
        pvalue?.pointee = test.pValue
        dfNum?.pointee = test.dfNumerator
        dfDenom?.pointee = test.dfDenominator
    }
}

@_cdecl("linreg_predict_interval_f64")
public func linreg_predict_interval_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?,
                                        _ sampleWeight: UnsafePointer<Double>?, _ nSamples: Int64, _ level: Double,
                                        _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_predict_interval_f64") {
        let m = try handle(model).model
        let X = try required(X, "X")
        let out = try required(out, "out")
        let n = try SizeChecks.sampleCount(nSamples)
        _ = try SizeChecks.elements(n, m.featureCount, of: "X", elementSize: 8)
        let rows = try SizeChecks.elements(n, m.outputCount, of: "out", elementSize: 8)
        _ = try SizeChecks.elements(rows, LinearModel.predictionColumns, of: "out", elementSize: 8)
        try m.predictionIntervals(X: MatrixView(base: X, rows: n, columns: m.featureCount),
                                  sampleWeight: sampleWeight.map { VectorView(base: $0, count: n) },
                                  level: level, into: out)
    }
}
