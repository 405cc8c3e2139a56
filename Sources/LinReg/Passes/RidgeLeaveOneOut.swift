import LinRegKernels

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
/// 1/(λⱼ + α) and bⱼ/(λⱼ + α), in the dispatched kernel
/// (``LeaveOneOutKernel``: AVX-512, AVX2 or baseline, bit-identical).
/// Memory: those tables and a chunk's sums, independent of n.
///
/// **Determinism.** Rows are cut into chunks of ``chunkRows`` (a constant);
/// each chunk's sums are computed by one worker in row order and the chunks
/// are added in order (in double-double), so the sums never depend on the
/// thread count. The sums over several calls (chunks of a stream, Dask
/// partitions) add up to the sums of one call up to that last rounding.
enum RidgeLeaveOneOut {
    /// Rows per unit of parallel work (a multiple of the lane count).
    static let chunkRows = 8192
    static let laneCount = LeaveOneOutKernel.lanes

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
    /// Weights must be ≥ 0 (the caller checks); a NaN or infinity in X or Y
    /// makes every sum non-finite (the caller then scans to name it).
    /// Penalties small against the spectrum (α ≤ λ_min/16, ``Series``) are
    /// evaluated from a power series in α/λ_min summed over the rows once,
    /// unless `rowErrors` is wanted, `exactOnly` is set, or the series' own
    /// check fails; the others, and two of those as the check, exactly.
    static func errors<E: TrainingScalar>(
        spectrum: RidgeSpectrum, alphas: [Double], X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        rowErrors: UnsafeMutablePointer<Double>?, threads: Int, level: KernelDispatch.Level? = nil,
        exactOnly: Bool = false
    ) throws -> [Double] {
        if rowErrors == nil, !exactOnly, let series = Series(spectrum: spectrum, alphas: alphas) {
            let exactAlphas = series.exactIndices.map { alphas[$0] } + series.checkAlphas
            let job = Job(spectrum: spectrum, table: tables(spectrum, alphas: exactAlphas), rowErrors: nil,
                          threads: threads, level: KernelDispatch.level(level), series: series)
            let sums = try job.specialized(X, Y, sampleWeight)
            if let result = series.assemble(sums, alphas: alphas) { return result }
        }
        let job = Job(spectrum: spectrum, table: tables(spectrum, alphas: alphas),
                      rowErrors: rowErrors.map { UnsafeMutableSendablePointer(pointer: $0) }, threads: threads,
                      level: KernelDispatch.level(level), series: nil)
        return try job.specialized(X, Y, sampleWeight).exact
    }

    /// What a pass adds up: per exact penalty and output, per output and
    /// series order, and the largest leverage at α = 0.
    struct Sums {
        var exact: [Double]
        var series: [Double]
        var largestLeverage: Double
    }

    /// The pass, specialised for the element type.
    struct Job: SpecializedJob {
        let spectrum: RidgeSpectrum
        let table: Tables
        let rowErrors: UnsafeMutableSendablePointer?
        let threads: Int
        /// The kernels' instruction set (tests force lower ones; results are identical).
        let level: KernelDispatch.Level
        let series: Series?

        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) throws -> Sums {
            let n = X.rows
            let width = table.alphas &* table.outputs
            let seriesWidth = (series?.orders ?? 0) &* table.outputs
            let chunkCount = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
            var totals = [DoubleDouble](repeating: .zero, count: width &+ seriesWidth)
            var largest = 0.0
            let workers = WorkerThreads.count(requested: threads, pieces: max(1, chunkCount))
            var next = 0
            while next < chunkCount {
                let wave = min(workers, chunkCount &- next)
                let first = next
                var results = [Sums](repeating: Sums(exact: [], series: [], largestLeverage: 0), count: wave)
                results.withUnsafeMutableBufferPointer { slots in
                    WorkerThreads.run(wave) { i in
                        let c = first &+ i
                        let range = (c &* chunkRows) ..< min(n, (c &+ 1) &* chunkRows)
                        slots[i] = chunk(X: X, Y: Y, sampleWeight: sampleWeight, rows: range)
                    }
                }
                for partial in results {
                    for index in 0 ..< width { totals[index] += partial.exact[index] }
                    for index in 0 ..< seriesWidth { totals[width &+ index] += partial.series[index] }
                    largest = max(largest, partial.largestLeverage)
                }
                next &+= wave
            }
            let values = totals.map { $0.value }
            return Sums(exact: Array(values[0 ..< width]), series: Array(values[width...]), largestLeverage: largest)
        }

        /// One chunk's sums: the dispatched kernel (``LeaveOneOutKernel``,
        /// bit-identical on every instruction set) fills eight lane sums per
        /// penalty and output, added here in lane order.
        func chunk<F: TrainingScalar>(X: MatrixView<F>, Y: MatrixView<F>, sampleWeight: VectorView<F>?,
                                      rows range: Range<Int>) -> Sums {
            let d = table.features, k = table.outputs, a = table.alphas
            let lanes = laneCount
            let orders = series?.orders ?? 0
            // The series' lane sums, scratch and largest leverage (one block).
            let seriesCount = max(1, k &* orders) &* lanes
            let seriesBuffer = UnsafeMutablePointer<Double>.allocate(capacity: seriesCount &+ (3 &* max(1, orders) &+ 1) &* lanes)
            defer { seriesBuffer.deallocate() }
            seriesBuffer.initialize(repeating: 0, count: seriesCount &+ (3 &* max(1, orders) &+ 1) &* lanes)
            let seriesScratch = seriesBuffer + seriesCount
            let largestLeverage = seriesScratch + 3 &* max(1, orders) &* lanes
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: (3 &* max(1, d) &+ max(1, k) &+ 1) &* lanes)
            let sums = UnsafeMutablePointer<Double>.allocate(capacity: max(1, a &* k) &* lanes)
            defer { scratch.deallocate(); sums.deallocate() }
            scratch.initialize(repeating: 0, count: (3 &* max(1, d) &+ max(1, k) &+ 1) &* lanes)
            sums.initialize(repeating: 0, count: max(1, a &* k) &* lanes)
            let centred = scratch
            let projected = centred + max(1, d) &* lanes
            let squares = projected + max(1, d) &* lanes
            let responses = squares + max(1, d) &* lanes
            let laneWeights = responses + max(1, k) &* lanes
            let empty = [Double](repeating: 0, count: 1)
            func pointer(_ array: [Double], _ body: (UnsafePointer<Double>) -> Void) {
                array.withUnsafeBufferPointer { buffer in
                    if let base = buffer.baseAddress { body(base) } else {
                        empty.withUnsafeBufferPointer { body($0.baseAddress!) }
                    }
                }
            }
            pointer(spectrum.featureMeans) { means in
            pointer(spectrum.outputMeans) { yMeans in
            pointer(spectrum.vectors) { vectors in
            pointer(table.inverse) { inverse in
            pointer(table.weighted) { weighted in
            pointer(series?.inverse ?? []) { seriesInverse in
            pointer(series?.weighted ?? []) { seriesWeighted in
                let job = LeaveOneOutJob(
                    x: d > 0 ? UnsafeRawPointer(X.base) : nil, y: UnsafeRawPointer(Y.base),
                    weights: sampleWeight.map { UnsafeRawPointer($0.base) }, features: d, outputs: k, alphas: a,
                    rowStart: range.lowerBound, rowEnd: range.upperBound, featureMeans: means, outputMeans: yMeans,
                    vectors: vectors, inverse: inverse, weighted: weighted,
                    interceptLeverage: spectrum.inverseWeightSum, centred: centred, projected: projected,
                    squares: squares, responses: responses, laneWeights: laneWeights, sums: sums,
                    rowErrors: rowErrors?.pointer, seriesOrders: orders, seriesInverse: seriesInverse,
                    seriesWeighted: seriesWeighted, seriesSums: seriesBuffer, seriesScratch: seriesScratch,
                    largestLeverage: largestLeverage)
                KernelDispatch.leaveOneOut(job, element: F.self, level: level)
            }}}}}}}
            func laneTotals(_ source: UnsafeMutablePointer<Double>, _ count: Int) -> [Double] {
                (0 ..< count).map { index in
                    var total = 0.0
                    for lane in 0 ..< lanes { total += source[index &* lanes &+ lane] }
                    return total
                }
            }
            let largest = (0 ..< lanes).reduce(0.0) { max($0, largestLeverage[$1]) }
            return Sums(exact: laneTotals(sums, a &* k), series: laneTotals(seriesBuffer, k &* orders),
                        largestLeverage: largest)
        }
    }
}

/// A raw output pointer handed to worker threads, each writing its own rows.
struct UnsafeMutableSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
}
