import LinReg

private func predict<E: TrainingScalar>(
    _ name: StaticString, _ model: OpaquePointer?, _ X: UnsafePointer<E>?, _ nSamples: Int64,
    _ output: UnsafeMutablePointer<E>?
) -> Int32 {
    guarded(name) {
        let h = try handle(model)
        let X = try required(X, "X")
        let output = try required(output, "Y_out")
        let n = try SizeChecks.sampleCount(nSamples)
        let size = MemoryLayout<E>.stride
        _ = try SizeChecks.elements(n, h.model.featureCount, of: "X", elementSize: size)
        _ = try SizeChecks.elements(n, h.model.outputCount, of: "Y_out", elementSize: size)
        try h.model.predict(X: MatrixView(base: X, rows: n, columns: h.model.featureCount), into: output)
    }
}

@_cdecl("linreg_predict_f32")
public func linreg_predict_f32(_ model: OpaquePointer?, _ X: UnsafePointer<Float>?, _ nSamples: Int64,
                               _ output: UnsafeMutablePointer<Float>?) -> Int32 {
    predict("linreg_predict_f32", model, X, nSamples, output)
}

@_cdecl("linreg_predict_f64")
public func linreg_predict_f64(_ model: OpaquePointer?, _ X: UnsafePointer<Double>?, _ nSamples: Int64,
                               _ output: UnsafeMutablePointer<Double>?) -> Int32 {
    predict("linreg_predict_f64", model, X, nSamples, output)
}
