/// One pass over the data that writes the ``InfluenceMeasure``s of every
/// row, from the triangular factor of the kept columns (``ColumnAliasing``):
/// no refits and no copy of X.
///
/// Per row: the scaled design row s (column c times 2^(−eᶜ), as the factor),
/// centred on the weighted column means when the intercept is kept (the
/// factor's first row holds them: s_q − R₀q/R₀₀·s₀), then uᵢ = R⁻ᵀ sᵢ by
/// forward substitution (hᵢ = wᵢ‖uᵢ‖², with the intercept's share wᵢ/Σw
/// added exactly when centred) and, for DFBETAS, C sᵢ = R⁻¹uᵢ by back
/// substitution; the residuals from the model's weights. Cost O(r²) per row;
/// rows are cut into fixed chunks computed by `threads` workers, each writing
/// its own rows, so the result does not depend on the thread count.
/// Memory: O(r²), independent of n.
struct InfluencePass {
    let features: Int
    let outputs: Int
    /// Whether design column 0 is the intercept's.
    let fitIntercept: Bool
    /// The kept design columns (internal order: intercept first).
    let keptColumns: [Int]
    /// Kept position of each design column, or −1 for an aliased one.
    let position: [Int]
    /// r × r upper-triangular factor of the kept columns (scaled), row-major, in double,
    /// and the same column-major (for the forward substitution's inner loop).
    let factor: [Double]
    let factorColumns: [Double]
    /// The column exponents: column c of the factor is the design column times 2^(−eᶜ).
    let exponents: [Int]
    /// Whether the first kept column is the intercept (the rows are centred).
    let centred: Bool
    /// Weighted means of the kept columns (scaled), by kept position (entry 0 unused).
    let means: [Double]
    /// diag((R_KᵀR_K)⁻¹) by kept position (scaled coordinates).
    let scaledVariances: [Double]
    /// The model's coefficients (k × d), and the residuals' origins (see ``CentredResiduals``).
    let weights: [Double]
    let residuals: CentredResiduals
    /// Per output: RSS.
    let rss: [Double]
    /// n − r.
    let residualDF: Double

    static let chunkRows = 4096

    init(aliasing: ColumnAliasing, features: Int, weights: [Double], intercepts: [Double], origins: [Double],
         rss: [Double], observationCount: Int) {
        let r = aliasing.rank, p = aliasing.parameterCount
        self.features = features
        outputs = aliasing.outputs
        fitIntercept = aliasing.fitIntercept
        keptColumns = aliasing.keptColumns
        var position = [Int](repeating: -1, count: p)
        for (q, c) in aliasing.keptColumns.enumerated() { position[c] = q }
        self.position = position
        var factor = [Double](repeating: 0, count: r &* r)
        for i in 0 ..< r { for j in i ..< r { factor[i &* r &+ j] = aliasing.factor.value(i, j) } }
        self.factor = factor
        var columns = [Double](repeating: 0, count: r &* r)
        for i in 0 ..< r { for j in i ..< r { columns[j &* r &+ i] = factor[i &* r &+ j] } }
        factorColumns = columns
        exponents = aliasing.exponents
        centred = aliasing.fitIntercept && aliasing.keptColumns.first == 0 && r > 0
        var means = [Double](repeating: 0, count: r)
        if centred {
            let r00 = aliasing.factor[0, 0]
            for q in 1 ..< r {
                let mean = aliasing.factor[0, q] / r00
                means[q] = PowerOfTwo.scale(mean.value, by: -aliasing.exponents[0])
            }
        }
        self.means = means
        var variances = [Double](repeating: .nan, count: r)
        if let inverse = TriangularSolve.inverse(aliasing.factor, size: r) {
            for q in 0 ..< r {
                var sum = DoubleDouble.zero
                for l in q ..< r { sum += inverse[q, l].squared }
                variances[q] = sum.value
            }
        }
        scaledVariances = variances
        self.weights = weights
        residuals = CentredResiduals(weights: weights, intercepts: intercepts, origins: origins,
                                     features: features, outputs: aliasing.outputs)
        self.rss = rss
        residualDF = Double(observationCount) - Double(r)
    }

    /// Writes `measures[j]` of every row to `outputs[j]` (layouts in
    /// ``InfluenceMeasure/valuesPerRow(features:outputs:)``, row after row).
    func run<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                measures: [InfluenceMeasure], outputs out: [UnsafeMutablePointer<Double>],
                                threads: Int) throws {
        try Job(pass: self, measures: measures, outputs: out, threads: threads).specialized(X, Y, sampleWeight)
    }

    private struct Job: SpecializedJob {
        let pass: InfluencePass
        let measures: [InfluenceMeasure]
        let outputs: [UnsafeMutablePointer<Double>]
        let threads: Int
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) {
            let n = X.rows
            let chunks = n == 0 ? 0 : (n &- 1) / InfluencePass.chunkRows &+ 1
            let workers = WorkerThreads.count(requested: threads, pieces: chunks)
            WorkerThreads.forEach(items: chunks, workers: workers) { _, chunk in
                let rows = (chunk &* InfluencePass.chunkRows) ..< min(n, (chunk &+ 1) &* InfluencePass.chunkRows)
                pass.rows(rows, X, Y, sampleWeight, measures, outputs)
            }
        }
    }

    /// The measures of `rows`. The triangular solves run on four rows at
    /// once (one SIMD lane each; the last group repeats its final row).
    private func rows<E: TrainingScalar>(_ range: Range<Int>, _ X: MatrixView<E>, _ Y: MatrixView<E>,
                                         _ sampleWeight: VectorView<E>?, _ measures: [InfluenceMeasure],
                                         _ outputs: [UnsafeMutablePointer<Double>]) {
        let d = features, k = self.outputs, r = keptColumns.count
        let origins = residuals.origins, shifted = residuals.shifted
        let shift = fitIntercept ? 1 : 0
        let wantsDFBetas = measures.contains(.dfbetas)
        let start = centred ? 1 : 0
        var u = [SIMD4<Double>](repeating: .zero, count: max(1, r))
        var v = [SIMD4<Double>](repeating: .zero, count: max(1, r))
        var residual = [Double](repeating: 0, count: max(1, k))
        // Centred: the intercept's share of hᵢ is wᵢ/Σw, Σw = (R₀₀·2^e₀)², and u₀ = s₀/R₀₀.
        let r00 = centred ? PowerOfTwo.scale(factor[0], by: exponents[0]) : 0
        let sumWeights = r00 * r00
        let firstU = centred ? PowerOfTwo.scale(1.0, by: -exponents[0]) / factor[0] : 0
        var first = range.lowerBound
        while first < range.upperBound {
            let count = min(4, range.upperBound &- first)
            var rowIndex = SIMD4<Int>()
            var w = SIMD4<Double>()
            for lane in 0 ..< 4 {
                rowIndex[lane] = first &+ min(lane, count &- 1)
                w[lane] = sampleWeight.map { $0[rowIndex[lane]].asDouble } ?? 1
            }
            // u = R⁻ᵀ s by forward substitution; when centred, rows 1… act on the centred row.
            if centred { u[0] = SIMD4(repeating: firstU) }
            for q in start ..< r {
                let column = keptColumns[q]
                var value = SIMD4<Double>()
                for lane in 0 ..< 4 {
                    let raw = column < shift ? 1.0 : X[rowIndex[lane], column &- shift].asDouble
                    value[lane] = PowerOfTwo.scale(raw, by: -exponents[column]) - means[q]
                }
                let columnBase = q &* r
                for l in start ..< q { value -= factorColumns[columnBase &+ l] * u[l] }
                u[q] = value / factor[q &* r &+ q]
            }
            var norm = SIMD4<Double>()
            for q in start ..< r { norm += u[q] * u[q] }
            var hat = w * norm + (centred ? w / sumWeights : SIMD4<Double>())
            if wantsDFBetas && r > 0 {
                // C s = R⁻¹ u by back substitution.
                var q = r &- 1
                while q >= 0 {
                    var value = u[q]
                    let rowBase = q &* r
                    for l in (q &+ 1) ..< r { value -= factor[rowBase &+ l] * v[l] }
                    v[q] = value / factor[rowBase &+ q]
                    q &-= 1
                }
            }
            for lane in 0 ..< count {
                let i = first &+ lane
                let weight = w[lane]
                if !(weight > 0) { hat[lane] = 0 }
                let h = hat[lane]
                let xr = X.rowPointer(i), yr = Y.rowPointer(i)
                let root = weight.squareRoot()
                for o in 0 ..< k {
                    var fitted = 0.0
                    let b = o &* d
                    for c in 0 ..< d { fitted += weights[b &+ c] * (xr[c].asDouble - origins[c]) }
                    residual[o] = root * (((yr[o].asDouble - origins[d &+ o]) - fitted) - shifted[o])
                }
                for (j, measure) in measures.enumerated() {
                    let out = outputs[j]
                    switch measure {
                    case .hat:
                        out[i] = h
                    case .dfbetas:
                        let width = k &* d &+ k
                        let row = out + i &* width
                        for o in 0 ..< k {
                            let values = leaveOneOut(residual[o], h: h, output: o)
                            let change = weight > 0 ? root * residual[o] / (1 - h) : 0
                            for c in 0 ..< (d &+ shift) {
                                let slot = c == 0 && shift == 1 ? k &* d &+ o : o &* d &+ c &- shift
                                let q = position[c]
                                if q < 0 {
                                    row[slot] = .nan
                                } else {
                                    row[slot] = weight > 0
                                        ? v[q][lane] * change / (values.sigma * scaledVariances[q].squareRoot()) : 0
                                }
                            }
                            if shift == 0 { row[k &* d &+ o] = .nan }
                        }
                    default:
                        for o in 0 ..< k {
                            out[i &* k &+ o] = value(measure, residual: residual[o], h: h, weight: weight, output: o)
                        }
                    }
                }
            }
            first &+= count
        }
    }

    /// s₍ᵢ₎ and s for one row and output.
    private func leaveOneOut(_ e: Double, h: Double, output o: Int) -> (sigma: Double, scale: Double) {
        let scale = residualDF > 0 ? rss[o] / residualDF : .nan
        let without = residualDF > 1 ? (rss[o] - e * e / (1 - h)) / (residualDF - 1) : .nan
        return (without.squareRoot(), scale)
    }

    /// A per-output measure of one row (weighted residual `e`).
    private func value(_ measure: InfluenceMeasure, residual e: Double, h: Double, weight w: Double,
                       output o: Int) -> Double {
        if !(w > 0) { return measure == .cooksPValue ? 1 : 0 }
        let (sigmaWithout, scale) = leaveOneOut(e, h: h, output: o)
        let studentized = e / (scale.squareRoot() * (1 - h).squareRoot())
        let external = e / (sigmaWithout * (1 - h).squareRoot())
        let rank = Double(keptColumns.count)
        switch measure {
        case .residStudentizedInternal: return studentized
        case .residStudentizedExternal: return external
        case .cooksDistance: return studentized * studentized * h / (1 - h) / rank
        case .cooksPValue:
            let distance = studentized * studentized * h / (1 - h) / rank
            return residualDF > 0 && distance.isFinite ? FisherF.sf(distance, d1: rank, d2: residualDF) : .nan
        case .dffits: return external * (h / (1 - h)).squareRoot()
        case .residPress: return e / (1 - h)
        case .hat, .dfbetas: return .nan
        }
    }
}
