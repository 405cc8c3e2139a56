/// Lasso and elastic net on the exact solver's accumulated statistics: no
/// pass over the data. Everything here works after `fit`, `partialFit`,
/// `merge` or `load`, because it reads only ``LinearModel/accumulator``
/// (see docs/REGULARIZED.md).
extension LinearModel {
    /// The elastic-net problem of the rows fitted so far.
    func elasticNetProblem(fitIntercept: Bool) throws -> ElasticNetProblem {
        try ElasticNetProblem(try elasticNetMoments(), fitIntercept: fitIntercept)
    }

    /// The moments of the rows fitted so far; ``EngineError/unavailable(_:)``
    /// when the model holds no exact-solver statistics.
    func elasticNetMoments() throws -> AugmentedMoments {
        guard let accumulator, accumulator.rowCount > 0 else {
            throw EngineError.unavailable(
                "the model holds no exact-solver statistics (fit, partial_fit or merge it with the exact solver first; GD/SGD and set_weights leave none)")
        }
        return try AugmentedMoments(accumulator)
    }

    /// The regularisation path over `alphas` (in the order given; warm
    /// starts make a decreasing order the fastest). The model is unchanged.
    public func elasticNetPath(alphas: [Double], options: ElasticNetOptions) throws -> ElasticNetPath {
        try options.validate()
        try ElasticNetSolver.checkAlphas(alphas)
        return try ElasticNetSolver.path(try elasticNetProblem(fitIntercept: options.fitIntercept), alphas: alphas,
                                         options: options)
    }

    /// scikit-learn's alpha grid (`_alpha_grid`) for the rows fitted so far.
    public func elasticNetAlphaGrid(count: Int, eps: Double, options: ElasticNetOptions) throws -> [Double] {
        try options.validate()
        return try ElasticNetSolver.alphaGrid(try elasticNetProblem(fitIntercept: options.fitIntercept),
                                              count: count, eps: eps, options: options)
    }

    /// Adds rows to the exact solver's statistics *without solving*: the
    /// cheap way to build the fold models of a cross-validation (one read of
    /// the data, no factorisation or SVD per fold). Only for models that have
    /// not been solved: new models, or models only accumulated and merged
    /// this way (they stay unfitted: no weights, nothing to predict with,
    /// but ``elasticNetPath(alphas:options:)``, the cross-validation and
    /// ``fitElasticNet(alpha:options:)`` read their statistics, and `fit`,
    /// `partialFit` and `merge` treat them as any model holding rows).
    /// The statistics' intercept setting is `fitIntercept`'s. On failure
    /// the model is unchanged.
    public mutating func accumulateStatistics<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>,
                                                                 sampleWeight: VectorView<E>? = nil) throws {
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        guard !isFitted else {
            throw EngineError.argument(
                "the model is fitted: statistics can be accumulated without solving only into a model that was never solved (a new model, or one only accumulated and merged this way); use partial_fit")
        }
        let fitIntercept = hyperparameters.fitIntercept
        var rows: QRAccumulator
        if let existing = accumulator {
            guard existing.fitIntercept == fitIntercept else {
                throw EngineError.argument(
                    "fit_intercept is \(fitIntercept ? 1 : 0) but this model's statistics were accumulated \(existing.fitIntercept ? "with" : "without") an intercept")
            }
            rows = existing
        } else {
            rows = try QRAccumulator(features: featureCount, outputs: outputCount, fitIntercept: fitIntercept)
        }
        try ExactSolver.accumulate(X: X, Y: Y, sampleWeight: sampleWeight, into: &rows,
                                   threads: hyperparameters.threads, valuesChecked: false)
        if let problem = rows.archiveProblem() {
            throw EngineError.internal("the accumulated statistics are not storable (\(problem))")
        }
        accumulator = rows
    }

    /// Adds the rows `other` holds (disjoint from this model's) to this
    /// model's statistics *without solving*: as ``merge(_:)`` for models
    /// that were never solved (see ``accumulateStatistics(X:Y:sampleWeight:)``).
    /// `other` may be solved or not. On failure the model is unchanged.
    public mutating func mergeStatistics(_ other: LinearModel) throws {
        guard !isFitted else {
            throw EngineError.argument(
                "the model is fitted: statistics can be merged without solving only into a model that was never solved; use merge")
        }
        guard other.featureCount == featureCount, other.outputCount == outputCount else {
            throw EngineError.argument(
                "cannot merge a model of \(other.featureCount) features and \(other.outputCount) outputs into one of \(featureCount) features and \(outputCount) outputs")
        }
        guard let theirs = other.accumulator else {
            throw EngineError.argument("the other model holds no exact-solver statistics")
        }
        var rows = accumulator ?? theirs
        if accumulator != nil {
            guard rows.fitIntercept == theirs.fitIntercept else {
                throw EngineError.argument("cannot merge statistics accumulated with and without an intercept")
            }
            guard !rows.rowCount.addingReportingOverflow(theirs.rowCount).overflow else {
                throw EngineError.argument("cannot merge: the row counts \(rows.rowCount) + \(theirs.rowCount) overflow")
            }
            try rows.merge(theirs)
        }
        accumulator = rows
    }

    /// Fits the elastic net at one penalty (the path of length one, from
    /// zero) and makes its coefficients the model's weights. The
    /// statistics are kept, so `partialFit`, `merge` and further paths
    /// still work; regression statistics become unavailable (as after
    /// ridge); singular values stay those of the design. Returns the gap
    /// and sweeps per output. On failure the model is unchanged.
    @discardableResult
    public mutating func fitElasticNet(alpha: Double, options: ElasticNetOptions) throws -> (gaps: [Double], iterations: [Int]) {
        let path = try elasticNetPath(alphas: [alpha], options: options)
        guard let accumulator else { throw EngineError.internal("the statistics vanished") }
        // The design's description (rank, singular values) kept with the model:
        // the last exact fit's, or, for statistics never solved, one exact solve.
        let previous = try exactFit ?? accumulator.solution(alpha: 0, rcond: hyperparameters.rcond)
        let moments = try AugmentedMoments(accumulator)
        let d = featureCount
        var fit = previous
        fit.weights = path.coefficients
        fit.intercepts = path.intercepts
        fit.unscaledCovariance = nil
        fit.residualSumOfSquares = (0 ..< outputCount).map { j in
            moments.residualSumOfSquares(weights: path.coefficients[(j &* d) ..< (j &* d &+ d)],
                                         intercept: path.intercepts[j], output: j)
        }
        if let bad = (fit.weights + fit.intercepts).firstIndex(where: { !$0.isFinite }) {
            throw EngineError.overflow("the elastic-net coefficient \(bad) is beyond the range of a double")
        }
        replaceState(weights: fit.weights, intercepts: fit.intercepts, history: [],
                     exact: (fit, nil, accumulator, nil))
        return (path.gaps, path.iterations)
    }

    /// Cross-validated test errors along a path: fold f is scored on the
    /// rows of `tests[f]` after training on `trains[f]` when given, else on
    /// `total`'s rows minus `tests[f]`'s (which must then be a subset of
    /// them). All models must hold exact statistics of the same shape and
    /// intercept setting. Returns n_alphas × n_folds mean squared errors
    /// (scikit-learn's `mse_path_`, averaged over outputs).
    public static func elasticNetCrossValidation(total: LinearModel, tests: [LinearModel], trains: [LinearModel?],
                                                 alphas: [Double], options: ElasticNetOptions) throws -> [Double] {
        try options.validate()
        try ElasticNetSolver.checkAlphas(alphas)
        guard !tests.isEmpty else { throw EngineError.argument("n_folds must be at least 1") }
        guard trains.isEmpty || trains.count == tests.count else {
            throw EngineError.argument("\(trains.count) training models for \(tests.count) folds")
        }
        let whole = try total.elasticNetMoments()
        func moments(_ model: LinearModel, _ role: String) throws -> AugmentedMoments {
            guard model.featureCount == total.featureCount, model.outputCount == total.outputCount else {
                throw EngineError.argument("\(role) has \(model.featureCount) features and \(model.outputCount) outputs; the total has \(total.featureCount) and \(total.outputCount)")
            }
            let m: AugmentedMoments
            do { m = try model.elasticNetMoments() } catch let error as EngineError { throw error.withContext(role) }
            guard m.hasOnesColumn == whole.hasOnesColumn else {
                throw EngineError.argument("\(role) was accumulated \(m.hasOnesColumn ? "with" : "without") an intercept, the total \(whole.hasOnesColumn ? "with" : "without")")
            }
            return m
        }
        var testMoments: [AugmentedMoments] = []
        var trainMoments: [AugmentedMoments?] = []
        for (f, test) in tests.enumerated() {
            let m = try moments(test, "test model \(f)")
            let train = trains.isEmpty ? nil : trains[f]
            if let train {
                trainMoments.append(try moments(train, "training model \(f)"))
            } else {
                guard m.rowCount < whole.rowCount else {
                    throw EngineError.argument("test model \(f) has \(m.rowCount) rows, the total only \(whole.rowCount): nothing is left to train on")
                }
                trainMoments.append(nil)
            }
            testMoments.append(m)
        }
        return try ElasticNetSolver.crossValidate(total: whole, tests: testMoments, trains: trainMoments, alphas: alphas,
                                                  options: options, threads: total.hyperparameters.threads)
    }
}
