/// One elastic-net problem in the form coordinate descent works on, for k
/// independent outputs sharing a design: scikit-learn's objective
///
///     F(w) = 1/(2S)·Σ wᵢ(yᵢ − xᵢ·w − b)² + λ·ρ·‖w‖₁ + ½·λ·(1 − ρ)·‖w‖²
///
/// (S = Σ wᵢ, which is n_samples without weights; the intercept b is
/// unpenalised and eliminated by centring) written on the moments as
///
///     F(w) = ½·yy − qᵀw + ½·wᵀQw + λ₁‖w‖₁ + ½·λ₂‖w‖²,
///
/// Q = XcᵀWXc / S, q = XcᵀWyc / S, yy = ycᵀWyc / S (Xc, yc centred on the
/// weighted means when an intercept is fitted, raw otherwise). The centring
/// is done in double-double on ``AugmentedMoments``; Q, q and yy are then
/// rounded to double.
struct ElasticNetProblem: Sendable {
    let features: Int
    let outputs: Int
    let fitIntercept: Bool
    /// d × d, row-major.
    var gram: [Double]
    /// k × d, row-major: q for output j at j·d.
    var correlation: [Double]
    /// k: yy per output.
    var targetSquares: [Double]
    /// d weighted feature means (zeros without intercept).
    var featureMeans: [Double]
    /// k weighted target means (zeros without intercept).
    var targetMeans: [Double]
    /// S, the objective's normaliser.
    var weightSum: Double

    /// The problem of some moments. `fitIntercept` needs the ones column.
    init(_ moments: AugmentedMoments, fitIntercept: Bool) throws {
        let d = moments.features, k = moments.outputs
        guard !fitIntercept || moments.hasOnesColumn else {
            throw EngineError.argument(
                "fit_intercept is 1 but the model's statistics were accumulated without an intercept: refit with fit_intercept 1")
        }
        features = d
        outputs = k
        self.fitIntercept = fitIntercept
        let s = moments.weightSum
        guard s.hi > 0 else { throw EngineError.argument("no rows of positive weight to fit") }
        weightSum = s.value
        let f0 = moments.firstFeature
        var means = [DoubleDouble](repeating: .zero, count: moments.size)
        if fitIntercept {
            for c in 0 ..< moments.size { means[c] = moments[0, c] / s }
        }
        func centred(_ a: Int, _ b: Int) -> Double {
            var value = moments[a, b]
            if fitIntercept { value -= moments[0, a] * means[b] }
            return (value / s).value
        }
        gram = [Double](repeating: 0, count: d &* d)
        for i in 0 ..< d {
            for j in i ..< d {
                let value = centred(f0 &+ i, f0 &+ j)
                gram[i &* d &+ j] = value
                gram[j &* d &+ i] = value
            }
        }
        correlation = [Double](repeating: 0, count: k &* d)
        targetSquares = [Double](repeating: 0, count: k)
        for j in 0 ..< k {
            let y = moments.outputColumn(j)
            for i in 0 ..< d { correlation[j &* d &+ i] = centred(f0 &+ i, y) }
            targetSquares[j] = max(0, centred(y, y))
        }
        featureMeans = (0 ..< d).map { means[f0 &+ $0].value }
        targetMeans = (0 ..< k).map { means[moments.outputColumn($0)].value }
        let all = gram + correlation + targetSquares + featureMeans + targetMeans
        guard all.allSatisfy({ $0.isFinite }) else {
            throw EngineError.overflow("the data's moments are beyond the range of a double: rescale the data")
        }
    }

    /// The intercept that goes with weights w of output j: ȳⱼ − x̄·w (0 without intercept).
    func intercept(for w: ArraySlice<Double>, output j: Int) -> Double {
        guard fitIntercept else { return 0 }
        var dot = 0.0
        for (i, value) in w.enumerated() { dot += featureMeans[i] * value }
        return targetMeans[j] - dot
    }
}
