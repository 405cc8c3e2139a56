import Testing
@testable import LinReg
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the trainer and cross-product tests (namespaced so they
/// cannot collide with other test files).
enum TrainerSupport {
    /// Hyperparameters for a GD or SGD run.
    static func hyperparameters(_ solver: SolverKind, learningRate: Double, epochs: Int,
                                batchSize: Int = 32, momentum: Double = 0, weightDecay: Double = 0,
                                fitIntercept: Bool = true, shuffle: Bool = false, seed: UInt64 = 0) -> Hyperparameters {
        var hp = Hyperparameters()
        hp.solver = solver
        hp.learningRate = learningRate
        hp.epochs = epochs
        hp.batchSize = batchSize
        hp.momentum = momentum
        hp.weightDecay = weightDecay
        hp.fitIntercept = fitIntercept
        hp.shuffle = shuffle
        hp.seed = seed
        return hp
    }

    /// Runs `GradientTrainer.train` on row lists, stored as `E`.
    static func train<E: TrainingScalar>(
        _ type: E.Type, X: [[Double]], Y: [[Double]], sampleWeight: [Double]? = nil,
        hyperparameters: Hyperparameters, weights: [Double], intercepts: [Double],
        progress: ProgressHandler? = nil
    ) throws -> TrainingResult {
        let x = X.flatMap { $0 }.map { E(roundingFrom: $0) }
        let y = Y.flatMap { $0 }.map { E(roundingFrom: $0) }
        let sw = sampleWeight?.map { E(roundingFrom: $0) } ?? []
        let d = X.first?.count ?? 0, k = Y.first?.count ?? 0
        return try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try sw.withUnsafeBufferPointer { wp in
                    try GradientTrainer.train(
                        X: MatrixView(base: xp.baseAddress!, rows: X.count, columns: d),
                        Y: MatrixView(base: yp.baseAddress!, rows: Y.count, columns: k),
                        sampleWeight: sampleWeight == nil ? nil : VectorView(base: wp.baseAddress!, count: sw.count),
                        hyperparameters: hyperparameters, initialWeights: weights, initialIntercepts: intercepts,
                        progress: progress)
                }
            }
        }
    }

    /// Expects |actual − expected| ≤ relative·|expected| + absolute, element by element.
    static func expectClose(_ actual: [Double], _ expected: [Double], relative: Double, absolute: Double = 0,
                            _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
                sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let tolerance = relative * abs(e) + absolute
            #expect(abs(a - e) <= tolerance, "\(what)[\(i)] = \(a), expected \(e) (±\(tolerance))",
                    sourceLocation: sourceLocation)
        }
    }

    /// Whether two results are identical bit for bit.
    static func identical(_ a: TrainingResult, _ b: TrainingResult) -> Bool {
        a.weights.map(\.bitPattern) == b.weights.map(\.bitPattern)
            && a.intercepts.map(\.bitPattern) == b.intercepts.map(\.bitPattern)
            && a.lossHistory.map(\.bitPattern) == b.lossHistory.map(\.bitPattern)
            && a.stoppedEarly == b.stoppedEarly
    }

    /// Dataset d1 of the reference scripts: n = 9, d = 2, k = 2, exact dyadic values.
    static let d1X: [[Double]] = [[-1.0, 0.375], [0.75, 1.0], [-0.25, 0.0], [1.5, 0.625], [0.5, 1.25],
                                  [-0.5, 0.25], [1.25, 0.875], [0.25, 1.5], [-0.75, 0.5]]
    static let d1Y: [[Double]] = [[-2.0, -0.125], [-0.4375, -0.21875], [0.25, -0.84375], [1.375, -0.9375],
                                  [-1.1875, 0.0625], [-0.9375, -0.28125], [0.625, -0.65625], [-2.375, 0.625],
                                  [-1.6875, 0.0]]

    /// Dataset d2 of the reference scripts: n = 23, d = 3, k = 2, exact dyadic values.
    static let d2X: [[Double]] = [
        [-1.0, 0.375, 0.0], [0.75, 1.0, 0.5], [-0.25, 0.0, 2.0], [1.5, 0.625, 2.0], [0.5, 1.25, 0.5],
        [-0.5, 0.25, 0.0], [1.25, 0.875, 0.5], [0.25, 1.5, 2.0], [-0.75, 0.5, 2.0], [1.0, 1.125, 0.5],
        [0.0, 0.125, 0.0], [-1.0, 0.75, 0.5], [0.75, 1.375, 2.0], [-0.25, 0.375, 2.0], [1.5, 1.0, 0.5],
        [0.5, 0.0, 0.0], [-0.5, 0.625, 0.5], [1.25, 1.25, 2.0], [0.25, 0.25, 2.0], [-0.75, 0.875, 0.5],
        [1.0, 1.5, 0.0], [0.0, 0.5, 0.5], [-1.0, 1.125, 2.0]]
    static let d2Y: [[Double]] = [
        [-1.375, 1.75], [0.1875, 2.65625], [1.125, -0.96875], [2.0, 0.4375], [-0.1875, 3.0625],
        [-0.6875, 1.71875], [0.875, 2.34375], [-0.25, 2.25], [-0.0625, 0.125], [0.5, 2.75], [0.0, 1.40625],
        [-1.1875, 2.03125], [0.4375, 1.9375], [0.625, -0.1875], [0.75, 2.71875], [0.6875, 1.09375],
        [-0.5, 2.0], [1.125, 1.625], [1.3125, -0.5], [-1.3125, 2.40625], [-0.25, 4.03125], [-0.25, 1.6875],
        [-0.9375, 1.3125]]

    /// The path of `../shared/data/Advertising.csv` from the repository root
    /// (three levels above this file).
    static func advertisingPath(file: String = #filePath) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/../shared/data/Advertising.csv"
    }

    /// The Advertising rows as (TV, Radio, Newspaper) and Sales, in file order,
    /// or nil when the file is missing.
    static func advertising() -> (X: [[Double]], Y: [[Double]])? {
        guard let file = fopen(advertisingPath(), "r") else { return nil }
        defer { fclose(file) }
        var X: [[Double]] = [], Y: [[Double]] = []
        var buffer = [CChar](repeating: 0, count: 512)
        var header = true
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            // CRLF: "\r\n" is one Character, a newline.
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let line = String(decoding: bytes, as: UTF8.self).filter { !$0.isNewline }
            if header { header = false; continue }
            if line.isEmpty { continue }
            let fields = line.split(separator: ",").map { String($0) }
            guard fields.count == 5 else { return nil }
            let values = fields[1...].compactMap { Double($0) }
            guard values.count == 4 else { return nil }
            X.append(Array(values[0..<3]))
            Y.append([values[3]])
        }
        return (X, Y)
    }
}
