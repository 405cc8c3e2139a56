#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The options of an elastic-net fit or path (scikit-learn's names).
public struct ElasticNetOptions: Sendable, Equatable {
    /// ρ: the L1 share of the penalty, 0 ... 1 (1 = lasso).
    public var l1Ratio: Double
    /// Fit an unpenalised intercept (needs statistics with the ones column).
    public var fitIntercept: Bool
    /// Constrain every coefficient to be ≥ 0.
    public var positive: Bool
    /// Stop when the duality gap is at most tol·yy (see ``CoordinateDescent``).
    public var tolerance: Double
    /// At most this many sweeps per penalty and output.
    public var maxIterations: Int

    public init(l1Ratio: Double = 1, fitIntercept: Bool = true, positive: Bool = false,
                tolerance: Double = 1e-4, maxIterations: Int = 1000) {
        self.l1Ratio = l1Ratio
        self.fitIntercept = fitIntercept
        self.positive = positive
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// Refuses out-of-range options with ``EngineError/argument(_:)``.
    func validate() throws {
        guard l1Ratio.isFinite, l1Ratio >= 0, l1Ratio <= 1 else {
            throw EngineError.argument("l1_ratio = \(l1Ratio) must satisfy 0 <= l1_ratio <= 1")
        }
        guard tolerance.isFinite, tolerance >= 0 else {
            throw EngineError.argument("tol = \(tolerance) must be finite and >= 0")
        }
        guard maxIterations >= 1, maxIterations <= 2_147_483_647 else {
            throw EngineError.argument("max_iter = \(maxIterations) must be an integer from 1 to 2^31-1")
        }
    }
}

/// A regularisation path: for each penalty (in the order given) and each
/// output, the coefficients, intercept, final duality gap and sweeps.
public struct ElasticNetPath: Sendable, Equatable {
    /// The penalties, as given.
    public var alphas: [Double]
    /// n_alphas × k × d, row-major.
    public var coefficients: [Double]
    /// n_alphas × k.
    public var intercepts: [Double]
    /// n_alphas × k: the duality gap of F (scikit-learn's `dual_gap_`).
    public var gaps: [Double]
    /// n_alphas × k: coordinate-descent sweeps.
    public var iterations: [Int]
}

/// Elastic-net paths, penalty grids and cross-validation on accumulated
/// statistics (see docs/REGULARIZED.md).
enum ElasticNetSolver {
    /// The path over `alphas` (each finite, ≥ 0), warm-starting every
    /// penalty from the previous one's solution (the first from zero).
    /// Outputs are solved independently.
    static func path(_ problem: ElasticNetProblem, alphas: [Double], options: ElasticNetOptions) throws -> ElasticNetPath {
        try options.validate()
        try checkAlphas(alphas)
        let d = problem.features, k = problem.outputs, a = alphas.count
        var coefficients = [Double](repeating: 0, count: a &* k &* d)
        var intercepts = [Double](repeating: 0, count: a &* k)
        var gaps = [Double](repeating: 0, count: a &* k)
        var iterations = [Int](repeating: 0, count: a &* k)
        for j in 0 ..< k {
            var w = [Double](repeating: 0, count: d)
            for (t, alpha) in alphas.enumerated() {
                let solver = CoordinateDescent(l1: alpha * options.l1Ratio, l2: alpha * (1 - options.l1Ratio),
                                               positive: options.positive, tolerance: options.tolerance,
                                               maxIterations: options.maxIterations)
                let outcome = solver.solve(problem, output: j, weights: &w)
                guard w.allSatisfy({ $0.isFinite }) else {
                    throw EngineError.overflow("coordinate descent produced a non-finite coefficient (alpha \(alpha), output \(j)): rescale the data")
                }
                let base = (t &* k &+ j) &* d
                for i in 0 ..< d { coefficients[base &+ i] = w[i] }
                intercepts[t &* k &+ j] = problem.intercept(for: w[...], output: j)
                gaps[t &* k &+ j] = outcome.gap
                iterations[t &* k &+ j] = outcome.iterations
            }
        }
        return ElasticNetPath(alphas: alphas, coefficients: coefficients, intercepts: intercepts, gaps: gaps,
                              iterations: iterations)
    }

    static func checkAlphas(_ alphas: [Double]) throws {
        if let bad = alphas.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw EngineError.argument("alphas[\(bad)] = \(alphas[bad]) must be finite and >= 0")
        }
    }

    /// scikit-learn's `_alpha_grid`: alpha_max = max_i ‖(q_i1 … q_ik)‖₂ / ρ
    /// (max_i q_i / ρ, at least 0, with `positive`), the smallest penalty
    /// whose solution is zero, then `count` values log-spaced from alpha_max
    /// down to eps·alpha_max (as numpy.geomspace); all equal to 1e-15
    /// (numpy's float64 resolution) when alpha_max is at most that.
    static func alphaGrid(_ problem: ElasticNetProblem, count: Int, eps: Double, options: ElasticNetOptions) throws -> [Double] {
        try options.validate()
        guard options.l1Ratio > 0 else {
            throw EngineError.argument("the automatic alpha grid needs l1_ratio > 0 (with l1_ratio = 0 give the alphas)")
        }
        guard eps.isFinite, eps > 0 else { throw EngineError.argument("eps = \(eps) must be finite and > 0") }
        guard count >= 1 else { throw EngineError.argument("n_alphas = \(count) must be at least 1") }
        let d = problem.features, k = problem.outputs
        var largest = 0.0
        for i in 0 ..< d {
            if options.positive {
                for j in 0 ..< k { largest = max(largest, problem.correlation[j &* d &+ i]) }
            } else {
                var sum = 0.0
                for j in 0 ..< k { let v = problem.correlation[j &* d &+ i]; sum += v * v }
                largest = max(largest, sum)
            }
        }
        let alphaMax = (options.positive ? largest : largest.squareRoot()) / options.l1Ratio
        let resolution = 1e-15
        if alphaMax <= resolution { return [Double](repeating: resolution, count: count) }
        let stop = alphaMax * eps
        if count == 1 { return [alphaMax] }
        let logStart = log10(alphaMax), logStop = log10(stop)
        let step = (logStop - logStart) / Double(count - 1)
        var grid = (0 ..< count).map { pow(10, logStart + Double($0) * step) }
        grid[0] = alphaMax
        grid[count - 1] = stop
        return grid
    }

    /// K-fold cross-validation on statistics: fold f trains on `trains[f]`
    /// (or, when nil, on `total` minus `tests[f]`) and is scored on
    /// `tests[f]`'s own moments. Returns the test mean squared errors,
    /// n_alphas × n_folds row-major (scikit-learn's `mse_path_`), each the
    /// mean over outputs of Σ wᵢrᵢ² / Σ wᵢ over the fold's rows.
    /// Folds run on `threads` workers; results do not depend on it.
    static func crossValidate(total: AugmentedMoments, tests: [AugmentedMoments], trains: [AugmentedMoments?],
                              alphas: [Double], options: ElasticNetOptions, threads: Int) throws -> [Double] {
        try options.validate()
        try checkAlphas(alphas)
        let folds = tests.count
        let a = alphas.count, k = total.outputs, d = total.features
        var results = [Result<[Double], EngineError>?](repeating: nil, count: folds)
        results.withUnsafeMutableBufferPointer { slots in
            let workers = WorkerThreads.count(requested: threads, pieces: folds)
            WorkerThreads.forEach(items: folds, workers: workers) { _, f in
                do {
                    var train: AugmentedMoments
                    if let given = trains[f] {
                        train = given
                    } else {
                        train = total
                        train.subtract(tests[f])
                    }
                    let problem = try ElasticNetProblem(train, fitIntercept: options.fitIntercept)
                    let path = try ElasticNetSolver.path(problem, alphas: alphas, options: options)
                    let test = tests[f]
                    let s = test.weightSum.value
                    var mse = [Double](repeating: 0, count: a)
                    for t in 0 ..< a {
                        var sum = 0.0
                        for j in 0 ..< k {
                            let base = (t &* k &+ j) &* d
                            let rss = test.residualSumOfSquares(weights: path.coefficients[base ..< base &+ d],
                                                                intercept: path.intercepts[t &* k &+ j], output: j)
                            sum += s > 0 ? rss / s : .nan
                        }
                        mse[t] = sum / Double(k)
                    }
                    slots[f] = .success(mse)
                } catch let error as EngineError {
                    slots[f] = .failure(error)
                } catch {
                    slots[f] = .failure(.internal("fold \(f): \(error)"))
                }
            }
        }
        var out = [Double](repeating: 0, count: a &* folds)
        for f in 0 ..< folds {
            guard let result = results[f] else { throw EngineError.internal("fold \(f) was not processed") }
            switch result {
            case .success(let mse):
                for t in 0 ..< a { out[t &* folds &+ f] = mse[t] }
            case .failure(let error):
                throw error.withContext("fold \(f)")
            }
        }
        return out
    }
}

extension EngineError {
    /// The same error with `context: ` before its message.
    func withContext(_ context: String) -> EngineError {
        switch self {
        case .argument(let m): return .argument("\(context): \(m)")
        case .nonFinite(let m): return .nonFinite("\(context): \(m)")
        case .notFitted(let m): return .notFitted("\(context): \(m)")
        case .diverged(let m): return .diverged("\(context): \(m)")
        case .noMemory(let m): return .noMemory("\(context): \(m)")
        case .unavailable(let m): return .unavailable("\(context): \(m)")
        case .internal(let m): return .internal("\(context): \(m)")
        case .format(let m): return .format("\(context): \(m)")
        case .io(let m): return .io("\(context): \(m)")
        case .overflow(let m): return .overflow("\(context): \(m)")
        }
    }
}
