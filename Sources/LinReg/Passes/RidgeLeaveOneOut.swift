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

    /// (Multiply-adds are written as a product and a sum: `addingProduct`
    /// would be a fused multiply-add, a library call on the SSE2 baseline.)
    ///
    /// Σ over the rows of e(α) per penalty and output (`[alpha * k + output]`),
    /// and, when `rowErrors` is given, every e(α) at
    /// `rowErrors[(row * k + output) * A + alpha]`.
    ///
    /// Values must be finite and weights ≥ 0 (the caller checks).
    static func errors<E: TrainingScalar>(
        spectrum: RidgeSpectrum, alphas: [Double], X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        rowErrors: UnsafeMutablePointer<Double>?, threads: Int
    ) throws -> [Double] {
        let job = Job(spectrum: spectrum, table: tables(spectrum, alphas: alphas),
                      rowErrors: rowErrors.map { UnsafeMutableSendablePointer(pointer: $0) }, threads: threads)
        return try job.specialized(X, Y, sampleWeight)
    }

    /// The pass, specialised for the element type.
    struct Job: SpecializedJob {
        let spectrum: RidgeSpectrum
        let table: Tables
        let rowErrors: UnsafeMutableSendablePointer?
        let threads: Int

        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) throws -> [Double] {
            let n = X.rows
            let width = table.alphas &* table.outputs
            let chunkCount = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
            var totals = [DoubleDouble](repeating: .zero, count: width)
            let workers = WorkerThreads.count(requested: threads, pieces: max(1, chunkCount))
            var next = 0
            while next < chunkCount {
                let wave = min(workers, chunkCount &- next)
                let first = next
                var results = [[Double]](repeating: [], count: wave)
                results.withUnsafeMutableBufferPointer { slots in
                    WorkerThreads.run(wave) { i in
                        let c = first &+ i
                        let range = (c &* chunkRows) ..< min(n, (c &+ 1) &* chunkRows)
                        slots[i] = chunk(X: X, Y: Y, sampleWeight: sampleWeight, rows: range)
                    }
                }
                for partial in results {
                    for index in 0 ..< width { totals[index] += partial[index] }
                }
                next &+= wave
            }
            return totals.map { $0.value }
        }

        /// One chunk's sums, eight rows at a time (one per lane).
        func chunk<F: TrainingScalar>(X: MatrixView<F>, Y: MatrixView<F>, sampleWeight: VectorView<F>?,
                                      rows range: Range<Int>) -> [Double] {
            let d = table.features, k = table.outputs, a = table.alphas
            let lanes = laneCount
            // Lane-major scratch: entry c of lane l at [c * 8 + l].
            let centred = UnsafeMutablePointer<Double>.allocate(capacity: max(1, d) &* lanes)
            let projected = UnsafeMutablePointer<Lanes>.allocate(capacity: max(1, d))
            let squares = UnsafeMutablePointer<Lanes>.allocate(capacity: max(1, d))
            let responses = UnsafeMutablePointer<Double>.allocate(capacity: max(1, k) &* lanes)
            let sums = UnsafeMutablePointer<Lanes>.allocate(capacity: max(1, a &* k))
            let weights = UnsafeMutablePointer<Double>.allocate(capacity: lanes)
            defer {
                centred.deallocate(); projected.deallocate(); squares.deallocate()
                responses.deallocate(); sums.deallocate(); weights.deallocate()
            }
            sums.initialize(repeating: Lanes(), count: max(1, a &* k))
            let output = rowErrors?.pointer
            let intercept = Lanes(repeating: spectrum.inverseWeightSum)
            spectrum.vectors.withUnsafeBufferPointer { vb in
            spectrum.featureMeans.withUnsafeBufferPointer { mb in
            spectrum.outputMeans.withUnsafeBufferPointer { yb in
            table.inverse.withUnsafeBufferPointer { ib in
            table.weighted.withUnsafeBufferPointer { wb in
                guard d == 0 || (vb.baseAddress != nil && mb.baseAddress != nil && ib.baseAddress != nil),
                      let means = mb.baseAddress ?? Optional(centred), let yMeans = yb.baseAddress,
                      let vectors = vb.baseAddress ?? Optional(centred), let inverse = ib.baseAddress ?? Optional(centred),
                      let weighted = wb.baseAddress ?? Optional(centred) else { return }
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(lanes, range.upperBound &- start)
                    for lane in 0 ..< lanes {
                        if lane < count {
                            let row = start &+ lane
                            weights[lane] = sampleWeight.map { $0[row].asDouble } ?? 1
                            let xRow = X.rowPointer(row)
                            for c in 0 ..< d { centred[c &* lanes &+ lane] = xRow[c].asDouble - means[c] }
                            let yRow = Y.rowPointer(row)
                            for o in 0 ..< k { responses[o &* lanes &+ lane] = yRow[o].asDouble - yMeans[o] }
                        } else {
                            weights[lane] = 0
                            for c in 0 ..< d { centred[c &* lanes &+ lane] = 0 }
                            for o in 0 ..< k { responses[o &* lanes &+ lane] = 0 }
                        }
                    }
                    let weight = UnsafeRawPointer(weights).loadUnaligned(as: Lanes.self)
                    // tⱼ = vⱼᵀ xc
                    for j in 0 ..< d {
                        var t = Lanes()
                        let v = vectors + j &* d
                        for i in 0 ..< d {
                            let x = UnsafeRawPointer(centred + i &* lanes).loadUnaligned(as: Lanes.self)
                            t += x * v[i]
                        }
                        projected[j] = t
                        squares[j] = t * t
                    }
                    for ai in 0 ..< a {
                        var leverage = Lanes()
                        let q = inverse + ai &* d
                        for j in 0 ..< d { leverage += squares[j] * q[j] }
                        let h = weight * (leverage + intercept)
                        let oneMinus = Lanes(repeating: 1) - h
                        // Zero-weight lanes (padding included) have h = 0 and scale 0: e = 0.
                        let scale = weight / (oneMinus * oneMinus)
                        for o in 0 ..< k {
                            var fitted = Lanes()
                            let bq = weighted + (ai &* k &+ o) &* d
                            for j in 0 ..< d { fitted += projected[j] * bq[j] }
                            let residual = UnsafeRawPointer(responses + o &* lanes).loadUnaligned(as: Lanes.self) - fitted
                            let error = residual * residual * scale
                            sums[ai &* k &+ o] += error
                            if let output {
                                for lane in 0 ..< count {
                                    output[((start &+ lane) &* k &+ o) &* a &+ ai] = error[lane]
                                }
                            }
                        }
                    }
                    start &+= count
                }
            }}}}}
            return (0 ..< a &* k).map { sums[$0].sum() }
        }
    }
}

/// A raw output pointer handed to worker threads, each writing its own rows.
struct UnsafeMutableSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
}
