import LinReg

// Lasso and elastic net on the exact solver's accumulated statistics
// (experimental, since 0.2): alpha grid, path, one-penalty fit and
// cross-validated path. Every check happens here, before the engine runs;
// outputs are written only on success.

/// The options shared by every elastic-net entry point, checked.
private func enetOptions(l1Ratio: Double, fitIntercept: Int32, positive: Int32, tol: Double,
                         maxIter: Int64) throws -> ElasticNetOptions {
    guard fitIntercept == 0 || fitIntercept == 1 else { throw invalid("fit_intercept = \(fitIntercept) must be 0 or 1") }
    guard positive == 0 || positive == 1 else { throw invalid("positive = \(positive) must be 0 or 1") }
    guard maxIter >= 1, maxIter <= 2_147_483_647 else {
        throw invalid("max_iter = \(maxIter) must be an integer from 1 to 2^31-1")
    }
    let options = ElasticNetOptions(l1Ratio: l1Ratio, fitIntercept: fitIntercept == 1, positive: positive == 1,
                                    tolerance: tol, maxIterations: Int(maxIter))
    guard l1Ratio.isFinite, l1Ratio >= 0, l1Ratio <= 1 else {
        throw invalid("l1_ratio = \(l1Ratio) must satisfy 0 <= l1_ratio <= 1")
    }
    guard tol.isFinite, tol >= 0 else { throw invalid("tol = \(tol) must be finite and >= 0") }
    return options
}

/// n_alphas as an Int (at least 1).
private func alphaCount(_ n: Int64) throws -> Int {
    guard n >= 1 else { throw invalid("n_alphas = \(n) must be at least 1") }
    guard let count = Int(exactly: n), count <= Int.max / 64 else { throw invalid("n_alphas = \(n) is too large") }
    return count
}

/// Refuses, with LINREG_E_NOMEM instead of a trap, a path whose outputs and
/// working copies (about three times n_alphas x (k·d + 3k + 1) doubles, plus
/// `extra` doubles per penalty) cannot be allocated now.
private func reservePath(_ model: LinearModel, alphas count: Int, extra: Int = 0) throws {
    let k = model.outputCount
    let perPenalty = MemoryReservation.product(k, model.featureCount).flatMap { kd in
        MemoryReservation.product(k, 3).map { kd &+ $0 &+ 1 &+ extra }
    }
    let total = perPenalty.flatMap { MemoryReservation.product($0, 3) }.flatMap { MemoryReservation.product($0, count) }
    try MemoryReservation.ensureDoubles(total, for: "a path of \(count) penalties for \(k) outputs of \(model.featureCount) features")
}

/// The caller's penalties, copied, each finite and >= 0.
private func readAlphas(_ alphas: UnsafePointer<Double>?, _ count: Int) throws -> [Double] {
    let alphas = try required(alphas, "alphas")
    let values = Array(UnsafeBufferPointer(start: alphas, count: count))
    if let bad = values.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
        throw invalid("alphas[\(bad)] = \(values[bad]) must be finite and >= 0")
    }
    return values
}

@_cdecl("linreg_enet_alpha_grid")
public func linreg_enet_alpha_grid(_ model: OpaquePointer?, _ l1Ratio: Double, _ fitIntercept: Int32,
                                   _ positive: Int32, _ eps: Double, _ nAlphas: Int64,
                                   _ alphasOut: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_enet_alpha_grid") {
        let m = try handle(model).model
        let options = try enetOptions(l1Ratio: l1Ratio, fitIntercept: fitIntercept, positive: positive, tol: 1e-4,
                                      maxIter: 1)
        let count = try alphaCount(nAlphas)
        let out = try required(alphasOut, "alphas_out")
        guard l1Ratio > 0 else {
            throw invalid("l1_ratio = 0: the automatic alpha grid needs l1_ratio > 0 (give the alphas instead)")
        }
        guard eps.isFinite, eps > 0 else { throw invalid("eps = \(eps) must be finite and > 0") }
        try MemoryReservation.ensureDoubles(MemoryReservation.product(count, 2), for: "\(count) penalties")
        let grid = try m.elasticNetAlphaGrid(count: count, eps: eps, options: options)
        out.update(from: grid, count: count)
    }
}

@_cdecl("linreg_enet_path")
public func linreg_enet_path(_ model: OpaquePointer?, _ alphas: UnsafePointer<Double>?, _ nAlphas: Int64,
                             _ l1Ratio: Double, _ fitIntercept: Int32, _ positive: Int32, _ tol: Double,
                             _ maxIter: Int64, _ coefs: UnsafeMutablePointer<Double>?,
                             _ intercepts: UnsafeMutablePointer<Double>?, _ gaps: UnsafeMutablePointer<Double>?,
                             _ nIters: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_enet_path") {
        let m = try handle(model).model
        let options = try enetOptions(l1Ratio: l1Ratio, fitIntercept: fitIntercept, positive: positive, tol: tol,
                                      maxIter: maxIter)
        let count = try alphaCount(nAlphas)
        let perAlpha = try SizeChecks.elements(m.outputCount, m.featureCount, of: "one penalty's coefficients",
                                               elementSize: 8)
        _ = try SizeChecks.elements(count, perAlpha, of: "coefs", elementSize: 8)
        try reservePath(m, alphas: count)
        let values = try readAlphas(alphas, count)
        let path = try m.elasticNetPath(alphas: values, options: options)
        coefs?.update(from: path.coefficients, count: path.coefficients.count)
        intercepts?.update(from: path.intercepts, count: path.intercepts.count)
        gaps?.update(from: path.gaps, count: path.gaps.count)
        if let nIters { for (i, v) in path.iterations.enumerated() { nIters[i] = Int64(v) } }
    }
}

@_cdecl("linreg_enet_fit")
public func linreg_enet_fit(_ model: OpaquePointer?, _ alpha: Double, _ l1Ratio: Double, _ fitIntercept: Int32,
                            _ positive: Int32, _ tol: Double, _ maxIter: Int64,
                            _ gaps: UnsafeMutablePointer<Double>?, _ nIters: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_enet_fit") {
        let h = try handle(model)
        let options = try enetOptions(l1Ratio: l1Ratio, fitIntercept: fitIntercept, positive: positive, tol: tol,
                                      maxIter: maxIter)
        guard alpha.isFinite, alpha >= 0 else { throw invalid("alpha = \(alpha) must be finite and >= 0") }
        let outcome = try h.model.fitElasticNet(alpha: alpha, options: options)
        gaps?.update(from: outcome.gaps, count: outcome.gaps.count)
        if let nIters { for (i, v) in outcome.iterations.enumerated() { nIters[i] = Int64(v) } }
    }
}

@_cdecl("linreg_enet_cv_path")
public func linreg_enet_cv_path(_ total: OpaquePointer?, _ testModels: UnsafePointer<OpaquePointer?>?,
                                _ trainModels: UnsafePointer<OpaquePointer?>?, _ nFolds: Int64,
                                _ alphas: UnsafePointer<Double>?, _ nAlphas: Int64, _ l1Ratio: Double,
                                _ fitIntercept: Int32, _ positive: Int32, _ tol: Double, _ maxIter: Int64,
                                _ mseOut: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_enet_cv_path") {
        let whole = try handle(total).model
        let options = try enetOptions(l1Ratio: l1Ratio, fitIntercept: fitIntercept, positive: positive, tol: tol,
                                      maxIter: maxIter)
        guard nFolds >= 1, nFolds <= 1 << 20 else { throw invalid("n_folds = \(nFolds) must be from 1 to 2^20") }
        let folds = Int(nFolds)
        let count = try alphaCount(nAlphas)
        _ = try SizeChecks.elements(count, folds, of: "mse_out", elementSize: 8)
        let tests = try required(testModels, "test_models")
        let out = try required(mseOut, "mse_out")
        var testList: [LinearModel] = []
        var trainList: [LinearModel?] = []
        for f in 0 ..< folds {
            guard let pointer = tests[f] else { throw invalid("test_models[\(f)] is NULL") }
            testList.append(ModelHandle.from(pointer).model)
            if let trainModels, let train = trainModels[f] {
                trainList.append(ModelHandle.from(train).model)
            } else {
                trainList.append(nil)
            }
        }
        // Per fold: its moments (m² double-doubles) and its path (up to two folds at a time on this machine's
        // workers, so reserve the path twice); the result, n_alphas × n_folds.
        let m = whole.featureCount &+ whole.outputCount &+ 1
        try MemoryReservation.ensureDoubles(MemoryReservation.product(m, m).flatMap { MemoryReservation.product($0, 2) }
                                                .flatMap { MemoryReservation.product($0, folds &+ 1) },
                                            for: "the moments of \(folds) folds")
        try reservePath(whole, alphas: count, extra: folds)
        let values = try readAlphas(alphas, count)
        let mse = try LinearModel.elasticNetCrossValidation(total: whole, tests: testList, trains: trainList,
                                                            alphas: values, options: options)
        out.update(from: mse, count: mse.count)
    }
}

/// The shared body of linreg_enet_accumulate_f32/_f64.
private func accumulate<E: TrainingScalar>(_ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?,
                                           _ Y: UnsafePointer<E>?, _ sampleWeight: UnsafePointer<E>?,
                                           _ nSamples: Int64) -> Int32 {
    guarded(name) {
        let h = try handle(model)
        let data = try DataArguments(X: X, Y: Y, nSamples: nSamples, features: h.model.featureCount,
                                     outputs: h.model.outputCount)
        let weights = sampleWeight.map { VectorView(base: $0, count: data.rows) }
        try h.model.accumulateStatistics(X: data.X, Y: data.Y, sampleWeight: weights)
    }
}

@_cdecl("linreg_enet_accumulate_f32")
public func linreg_enet_accumulate_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                       _ sampleWeight: UnsafePointer<Float>?, _ nSamples: Int64) -> Int32 {
    accumulate("linreg_enet_accumulate_f32", model, X, Y, sampleWeight, nSamples)
}

@_cdecl("linreg_enet_accumulate_f64")
public func linreg_enet_accumulate_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?,
                                       _ Y: UnsafePointer<Double>?, _ sampleWeight: UnsafePointer<Double>?,
                                       _ nSamples: Int64) -> Int32 {
    accumulate("linreg_enet_accumulate_f64", model, X, Y, sampleWeight, nSamples)
}

@_cdecl("linreg_enet_merge_statistics")
public func linreg_enet_merge_statistics(_ into: OpaquePointer?, _ other: OpaquePointer?) -> Int32 {
    guarded("linreg_enet_merge_statistics") {
        let target = ModelHandle.from(try required(into, "into"))
        let source = ModelHandle.from(try required(other, "other"))
        guard target !== source else {
            throw invalid("into and other are the same model: merging a model with itself would count its rows twice")
        }
        try target.model.mergeStatistics(source.model)
    }
}
