// Examples/swift/main.swift -- the README's Swift example (make test builds and runs it)
import LinReg

// y = 1 + 2*x1 - 3*x2, four rows, two features, one output
let X: [Double] = [0, 0,  1, 0,  0, 1,  1, 1]
let Y: [Double] = [1, 3, -2, 0]
do {
    var model = try LinearModel(featureCount: 2, outputCount: 1)
    model.hyperparameters.solver = .exact          // the default; .gradientDescent, .stochasticGradientDescent
    try X.withUnsafeBufferPointer { x in
        try Y.withUnsafeBufferPointer { y in
            try model.fit(X: MatrixView(base: x.baseAddress!, rows: 4, columns: 2),
                          Y: MatrixView(base: y.baseAddress!, rows: 4, columns: 1))
        }
    }
    print("W = \(model.weights), b = \(model.intercepts)")   // W = [2.0, -3.0], b = [1.0]
    print("R² = \(try model.statistic(.r2)[0])")              // R² = 1.0
} catch let error as EngineError {
    print("error: \(error.message)")
}
