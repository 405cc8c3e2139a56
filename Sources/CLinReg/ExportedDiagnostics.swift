import LinReg

// Regression diagnostics (experimental, since 0.2): the residual pass,
// influence measures and aliased columns. Validation only; the engine computes.

/// The shared body of `linreg_residual_pass_*`.
func residualPass<E: TrainingScalar>(
    _ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?, _ Y: UnsafePointer<E>?,
    _ sampleWeight: UnsafePointer<E>?, _ nSamples: Int64, _ append: Int32
) -> Int32 {
    guarded(name) {
        let h = try handle(model)
        let data = try DataArguments(X: X, Y: Y, nSamples: nSamples, features: h.model.featureCount,
                                     outputs: h.model.outputCount)
        guard append == 0 || append == 1 else { throw invalid("append = \(append) must be 0 or 1") }
        let weights = sampleWeight.map { VectorView(base: $0, count: data.rows) }
        try h.model.residualPass(X: data.X, Y: data.Y, sampleWeight: weights, append: append == 1)
    }
}

@_cdecl("linreg_residual_pass_f32")
public func linreg_residual_pass_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                     _ sampleWeight: UnsafePointer<Float>?, _ nSamples: Int64,
                                     _ append: Int32) -> Int32 {
    residualPass("linreg_residual_pass_f32", model, X, Y, sampleWeight, nSamples, append)
}

@_cdecl("linreg_residual_pass_f64")
public func linreg_residual_pass_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                                     _ sampleWeight: UnsafePointer<Double>?, _ nSamples: Int64,
                                     _ append: Int32) -> Int32 {
    residualPass("linreg_residual_pass_f64", model, X, Y, sampleWeight, nSamples, append)
}

/// The most measures one `linreg_influence_*` call accepts.
let maximumInfluenceMeasures: Int64 = 64

/// The shared body of `linreg_influence_*`.
func influence<E: TrainingScalar>(
    _ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?, _ Y: UnsafePointer<E>?,
    _ sampleWeight: UnsafePointer<E>?, _ nSamples: Int64, _ measures: UnsafePointer<Int32>?, _ count: Int64,
    _ out: UnsafePointer<UnsafeMutablePointer<Double>?>?
) -> Int32 {
    guarded(name) {
        let m = try handle(model).model
        let X = try required(X, "X")
        let Y = try required(Y, "Y")
        let n = try SizeChecks.sampleCount(nSamples)
        guard count >= 0, count <= maximumInfluenceMeasures else {
            throw invalid("n_measures = \(count) must be between 0 and \(maximumInfluenceMeasures)")
        }
        let size = MemoryLayout<E>.stride
        _ = try SizeChecks.elements(n, m.featureCount, of: "X", elementSize: size)
        _ = try SizeChecks.elements(n, m.outputCount, of: "Y", elementSize: size)
        var kinds: [InfluenceMeasure] = []
        var buffers: [UnsafeMutablePointer<Double>] = []
        if count > 0 {
            let measures = try required(measures, "measures")
            let out = try required(out, "out")
            for j in 0 ..< Int(count) {
                guard let kind = InfluenceMeasure(rawValue: Int(measures[j])) else {
                    throw invalid("measures[\(j)] = \(measures[j]) is not a linreg_influence_measure")
                }
                guard let buffer = out[j] else { throw invalid("out[\(j)] is NULL") }
                let width = kind.valuesPerRow(features: m.featureCount, outputs: m.outputCount)
                _ = try SizeChecks.elements(n, width, of: "out[\(j)]", elementSize: MemoryLayout<Double>.stride)
                kinds.append(kind)
                buffers.append(buffer)
            }
        }
        let weights = sampleWeight.map { VectorView(base: $0, count: n) }
        try m.influence(X: MatrixView(base: X, rows: n, columns: m.featureCount),
                        Y: MatrixView(base: Y, rows: n, columns: m.outputCount),
                        sampleWeight: weights, measures: kinds, outputs: buffers)
    }
}

@_cdecl("linreg_influence_f32")
public func linreg_influence_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ Y: UnsafePointer<Float>?,
                                 _ sampleWeight: UnsafePointer<Float>?, _ nSamples: Int64,
                                 _ measures: UnsafePointer<Int32>?, _ nMeasures: Int64,
                                 _ out: UnsafePointer<UnsafeMutablePointer<Double>?>?) -> Int32 {
    influence("linreg_influence_f32", model, X, Y, sampleWeight, nSamples, measures, nMeasures, out)
}

@_cdecl("linreg_influence_f64")
public func linreg_influence_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ Y: UnsafePointer<Double>?,
                                 _ sampleWeight: UnsafePointer<Double>?, _ nSamples: Int64,
                                 _ measures: UnsafePointer<Int32>?, _ nMeasures: Int64,
                                 _ out: UnsafePointer<UnsafeMutablePointer<Double>?>?) -> Int32 {
    influence("linreg_influence_f64", model, X, Y, sampleWeight, nSamples, measures, nMeasures, out)
}

@_cdecl("linreg_get_alias")
public func linreg_get_alias(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_get_alias") {
        let m = try handle(model).model
        let out = try required(out, "out")
        let values = try m.aliasCombinations()
        let side = m.featureCount + 1
        guard values.count == side * side else {
            throw EngineError.internal("the alias matrix has \(values.count) entries for \(side * side)")
        }
        out.update(from: values, count: values.count)
    }
}
