import LinReg

/// The rows every data-reading entry point takes (X, Y and n_samples),
/// checked in one order at the boundary: X, then Y not NULL, n_samples ≥ 1,
/// and neither matrix's element or byte count overflowing; then wrapped in
/// views of the model's shape (`features` columns of X, `outputs` of Y).
struct DataArguments<E: TrainingScalar> {
    let X: MatrixView<E>
    let Y: MatrixView<E>
    /// n_samples.
    var rows: Int { X.rows }

    init(X: UnsafePointer<E>?, Y: UnsafePointer<E>?, nSamples: Int64, features: Int, outputs: Int) throws {
        let x = try required(X, "X")
        let y = try required(Y, "Y")
        let n = try SizeChecks.sampleCount(nSamples)
        let size = MemoryLayout<E>.stride
        _ = try SizeChecks.elements(n, features, of: "X", elementSize: size)
        _ = try SizeChecks.elements(n, outputs, of: "Y", elementSize: size)
        self.X = MatrixView(base: x, rows: n, columns: features)
        self.Y = MatrixView(base: y, rows: n, columns: outputs)
    }
}
