/// The exact leave-one-out errors of ridge regression for many penalties in
/// one pass over the rows (scikit-learn's `RidgeCV(cv=None)`, `_RidgeGCV`):
/// no refits.
///
/// For a row (x, y, w) and penalty α, with the model's ``RidgeSpectrum``
/// (Xcᵀ W Xc = V diag(λ) Vᵀ, bⱼ = vⱼᵀ Xcᵀ W yc) and the row's projections
/// tⱼ = vⱼᵀ(x − x̄):
///
///     h(α) = w·Σⱼ tⱼ²/(λⱼ + α) + w/Σw          (leverage; the last term only
///                                              with an intercept, which is
///                                              not penalised)
///     r(α) = (y − ȳ) − Σⱼ tⱼ bⱼ/(λⱼ + α)        (the ridge fit's residual)
///     e(α) = w·r(α)² / (1 − h(α))²              (squared LOO error of √w·y)
///
/// exactly what scikit-learn's `_RidgeGCV` computes on the rescaled data
/// (its `looe = c / G⁻¹ᵢᵢ`, squared) when scoring is None: the intercept's
/// direction √w is orthogonal to the centred, rescaled columns, so its
/// leverage is w/Σw and it adds nothing to the residual. A zero-weight row
/// has e = 0 and still counts in the mean, as there.
///
/// **Work.** Per row d² for the projections and A·d·(k + 1) for A
/// penalties and k outputs; eight rows at a time, one per SIMD lane, so
/// every loop is a plain multiply-add over the penalties' tables
/// 1/(λⱼ + α) and bⱼ/(λⱼ + α). Memory: those tables and a chunk's sums,
/// independent of n.
///
/// **Determinism.** Rows are cut into chunks of ``chunkRows`` (a constant);
/// each chunk's sums are computed by one worker in row order and the chunks
/// are added in order (in double-double), so the sums never depend on the
/// thread count. The sums over several calls (chunks of a stream, Dask
/// partitions) add up to the sums of one call up to that last rounding.
enum RidgeLeaveOneOut {
    /// Rows per unit of parallel work (a multiple of the lane count).
    static let chunkRows = 8192
    typealias Lanes = SIMD8<Double>
    static let laneCount = 8

    /// The per-penalty tables of a spectrum: 1/(λⱼ + α) and bⱼₖ/(λⱼ + α),
    /// each row padded with zeros to `paddedFeatures`.
    struct Tables {
        let features: Int
        let outputs: Int
        let alphas: Int
        /// [alpha][feature]
        var inverse: [Double]
        /// [alpha][output][feature]
        var weighted: [Double]
    }

    static func tables(_ spectrum: RidgeSpectrum, alphas: [Double]) -> Tables {
        let d = spectrum.features, k = spectrum.outputs, a = alphas.count
        var inverse = [Double](repeating: 0, count: a &* d)
        var weighted = [Double](repeating: 0, count: a &* k &* d)
        for (ai, alpha) in alphas.enumerated() {
            for j in 0 ..< d {
                let q = 1 / (spectrum.eigenvalues[j] + alpha)
                inverse[ai &* d &+ j] = q
                for o in 0 ..< k { weighted[(ai &* k &+ o) &* d &+ j] = spectrum.projections[j &* k &+ o] * q }
            }
        }
        return Tables(features: d, outputs: k, alphas: a, inverse: inverse, weighted: weighted)
    }

    /// Σ over the rows of e(α) per penalty and output (`[alpha * k + output]`),
    /// and, when `rowErrors` is given, every e(α) at
    /// `rowErrors[(row * k + output) * A + alpha]`.
    ///
    /// Values must be finite and weights ≥ 0 (the caller checks).
    static func errors<E: TrainingScalar>(
        spectrum: RidgeSpectrum, alphas: [Double], X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        rowErrors: UnsafeMutablePointer<Double>?, threads: Int
    ) -> [Double] {
        let n = X.rows
        let table = tables(spectrum, alphas: alphas)
        let width = alphas.count &* spectrum.outputs
        let chunkCount = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        var totals = [DoubleDouble](repeating: .zero, count: width)
        let workers = WorkerThreads.count(requested: threads, pieces: max(1, chunkCount))
        let output = rowErrors.map { UnsafeMutableSendablePointer(pointer: $0) }
        var next = 0
        while next < chunkCount {
            let wave = min(workers, chunkCount &- next)
            let first = next
            var results = [[Double]](repeating: [], count: wave)
            results.withUnsafeMutableBufferPointer { slots in
                WorkerThreads.run(wave) { i in
                    let c = first &+ i
                    let range = (c &* chunkRows) ..< min(n, (c &+ 1) &* chunkRows)
                    slots[i] = chunk(spectrum: spectrum, table: table, X: X, Y: Y, sampleWeight: sampleWeight,
                                     rows: range, rowErrors: output?.pointer)
                }
            }
            for partial in results {
                for index in 0 ..< width { totals[index] += partial[index] }
            }
            next &+= wave
        }
        return totals.map { $0.value }
    }

    /// One chunk's sums, eight rows at a time.
    static func chunk<E: TrainingScalar>(
        spectrum: RidgeSpectrum, table: Tables, X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        rows range: Range<Int>, rowErrors: UnsafeMutablePointer<Double>?
    ) -> [Double] {
        let d = table.features, k = table.outputs, a = table.alphas
        let lanes = laneCount
        var sums = [Lanes](repeating: Lanes(), count: a &* k)
        var centred = [Lanes](repeating: Lanes(), count: max(1, d))
        var projected = [Lanes](repeating: Lanes(), count: max(1, d))
        var squares = [Lanes](repeating: Lanes(), count: max(1, d))
        var responses = [Lanes](repeating: Lanes(), count: max(1, k))
        let vectors = spectrum.vectors, means = spectrum.featureMeans, yMeans = spectrum.outputMeans
        let intercept = Lanes(repeating: spectrum.inverseWeightSum)
        var start = range.lowerBound
        while start < range.upperBound {
            let count = min(lanes, range.upperBound &- start)
            // Load: centred x and y, one row per lane (missing lanes: weight 0, x = x̄).
            var weight = Lanes()
            for lane in 0 ..< count {
                let row = start &+ lane
                weight[lane] = sampleWeight.map { $0[row].asDouble } ?? 1
                let xRow = X.rowPointer(row)
                for c in 0 ..< d { centred[c][lane] = xRow[c].asDouble - means[c] }
                let yRow = Y.rowPointer(row)
                for o in 0 ..< k { responses[o][lane] = yRow[o].asDouble - yMeans[o] }
            }
            for lane in count ..< lanes {
                weight[lane] = 0
                for c in 0 ..< d { centred[c][lane] = 0 }
                for o in 0 ..< k { responses[o][lane] = 0 }
            }
            // tⱼ = vⱼᵀ xc
            vectors.withUnsafeBufferPointer { v in
                for j in 0 ..< d {
                    var t = Lanes()
                    let base = j &* d
                    for i in 0 ..< d { t.addProduct(centred[i], v[base &+ i]) }
                    projected[j] = t
                    squares[j] = t * t
                }
            }
            table.inverse.withUnsafeBufferPointer { inverse in
                table.weighted.withUnsafeBufferPointer { weighted in
                    for ai in 0 ..< a {
                        var leverage = Lanes()
                        let row = ai &* d
                        for j in 0 ..< d { leverage.addProduct(squares[j], inverse[row &+ j]) }
                        let h = weight * (leverage + intercept)
                        let oneMinus = Lanes(repeating: 1) - h
                        let scale = weight / (oneMinus * oneMinus)
                        for o in 0 ..< k {
                            var fitted = Lanes()
                            let base = (ai &* k &+ o) &* d
                            for j in 0 ..< d { fitted.addProduct(projected[j], weighted[base &+ j]) }
                            let residual = responses[o] - fitted
                            // Zero-weight lanes (padding included) have h = 0 and scale 0: e = 0.
                            let error = residual * residual * scale
                            sums[ai &* k &+ o] += error
                            if let rowErrors {
                                for lane in 0 ..< count {
                                    rowErrors[((start &+ lane) &* k &+ o) &* a &+ ai] = error[lane]
                                }
                            }
                        }
                    }
                }
            }
            start &+= count
        }
        return sums.map { $0.sum() }
    }
}

/// A raw output pointer handed to worker threads, each writing its own rows.
struct UnsafeMutableSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
}

private extension SIMD8 where Scalar == Double {
    /// self += a·b, b broadcast.
    @inline(__always)
    mutating func addProduct(_ a: SIMD8<Double>, _ b: Double) {
        self = addingProduct(a, SIMD8<Double>(repeating: b))
    }
}
