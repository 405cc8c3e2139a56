/// Turning a ``QRAccumulator`` into a ``LeastSquaresFit``: rank decisions,
/// the least-squares / minimum-norm / ridge coefficients, sums of squares,
/// singular values and the unscaled covariance.
///
/// Notation: R is the accumulator's m × m factor of the *scaled* augmented
/// design (column c multiplied by 2^(−eᶜ)), p the number of parameters
/// (intercept first when fitted), "offset" = 1 with an intercept, else 0, so
/// the feature columns are offset..<p and output j is column p + j. A
/// solution z of the scaled problem R₁₁·z = c maps back by
/// βᶜ = zᶜ·2^(e_y − eᶜ).
///
/// **Ranks.** The numerical rank is counted on the *column-equilibrated*
/// full design: each column of R is multiplied by the power of two nearest
/// to 1/‖column‖ (an exact, diagonal scaling), the singular values σ̃ of that
/// matrix are computed (one-sided Jacobi, ``JacobiSVD``), and
///
///     τ = rcond_eff · σ̃_max,   rcond_eff = rcond ≥ 0 ? rcond : max(n, p)·ε
///
/// (ε = `Double.ulpOfOne`, numpy's default rule). `rank` counts σ̃ > τ for
/// the full design; `centeredRank` counts the singular values above the same
/// τ of the centred block (rows and columns offset… of the same equilibrated
/// R, i.e. the centred features measured against their *raw* column norms,
/// so a constant column is rank-deficient rather than amplified noise).
/// Equilibration makes the rank independent of the units of the columns; for
/// well-scaled data it agrees with numpy's unscaled rule, and for badly
/// scaled but well-posed problems (NIST Filip, whose unscaled σ_min/σ_max is
/// 7e-16) it keeps the full rank that the exact data have.
///
/// **Coefficients.** alpha = 0 and centeredRank = d: back-substitution on R₁₁
/// in double-double (the exact least-squares solution of the float64 data,
/// to double precision). alpha = 0 and centeredRank < d: the minimum-norm
/// solution over the feature weights (numpy.linalg.lstsq on the weighted
/// centred data), from the SVD of the unscaled centred block truncated to
/// its centeredRank largest singular values; the intercept, unpenalised,
/// then zeroes the first row's residual. alpha > 0: the centred block is
/// stacked on √alpha·I (in the scaled coordinates) and re-triangularised in
/// double-double, then back-substituted (scikit-learn Ridge, intercept
/// unpenalised); it never fails for rank reasons.
extension QRAccumulator {
    /// The fit of the rows seen so far.
    ///
    /// - Parameters:
    ///   - alpha: ridge penalty (finite, ≥ 0).
    ///   - rcond: relative singular-value cut-off; negative for max(n, p)·ε.
    ///   - threads: workers for the O(p³) covariance (0 = all cores); the
    ///     result does not depend on it.
    /// - Throws: ``EngineError/argument(_:)`` for a bad alpha or rcond, no
    ///   rows, or all weights zero; ``EngineError/internal(_:)`` if a
    ///   non-finite coefficient is produced (a bug).
    func solution(alpha: Double, rcond: Double, threads: Int = 1) throws -> LeastSquaresFit {
        guard alpha.isFinite, alpha >= 0 else { throw EngineError.argument("alpha must be finite and >= 0, got \(alpha)") }
        guard !rcond.isNaN, rcond.isFinite || rcond < 0 else { throw EngineError.argument("rcond must be finite, got \(rcond)") }
        guard rowCount > 0 else { throw EngineError.argument("no rows to fit") }
        if fitIntercept && r[0, 0].hi == 0 {
            throw EngineError.argument("all sample weights are zero")
        }
        let exps = columnExponents.map { $0 ?? 0 }
        let rcondEffective = rcond >= 0 ? rcond : Double(max(rowCount, parameterCount)) * Double.ulpOfOne
        let ranks = rankDecision(rcond: rcondEffective, threads: threads)
        let spectra = unscaledSpectra(ranks: ranks, wantVectors: !ranks.fullRank && alpha == 0, exponents: exps,
                                      threads: threads)
        let solutions = alpha > 0
            ? ridgeSolutions(alpha: alpha, exponents: exps, rcond: rcondEffective)
            : leastSquaresSolutions(ranks: ranks, spectra: spectra, exponents: exps)
        let mapped = try mapBack(solutions, exponents: exps)
        // Full rank: R⁻¹R⁻ᵀ when first read (FitCovariance); otherwise the
        // pseudo-inverse from the decomposition at hand, now.
        let covariance: FitCovariance?
        if alpha > 0 {
            covariance = nil
        } else if ranks.fullRank {
            let accumulator = self, rank = ranks.rank, fullExponent = spectra.fullExponent
            covariance = FitCovariance(deferred: {
                accumulator.unscaledCovariance(fullRank: true, rank: rank, fullSVD: nil, fullExponent: fullExponent,
                                               exponents: exps, threads: threads)
            })
        } else {
            covariance = FitCovariance(unscaledCovariance(fullRank: false, rank: ranks.rank, fullSVD: spectra.full,
                                                          fullExponent: spectra.fullExponent, exponents: exps,
                                                          threads: threads))
        }
        return LeastSquaresFit(weights: mapped.weights, intercepts: mapped.intercepts, rank: ranks.rank,
                               centeredRank: ranks.centeredRank, spectrum: spectra.spectrum, covariance: covariance,
                               residualSumOfSquares: mapped.rss, totalSumOfSquares: mapped.tss,
                               observationCount: rowCount, sumLogWeights: logWeightSum.value)
    }

    // MARK: Steps of the solution

    /// The rank decisions (see the type's comment): `rank` of the full
    /// design, `centeredRank` of the centred block, both against
    /// τ = rcond·σ̃_max of the column-equilibrated factor.
    struct Ranks {
        var rank: Int
        var centeredRank: Int
        var fullRank: Bool
    }

    private func rankDecision(rcond: Double, threads: Int) -> Ranks {
        let p = parameterCount
        let equilibrated = equilibratedDesign()
        // Clearly full rank (the common case) needs no SVD: κ₂ ≤ a bound
        // (ConditionBound) kept a quarter below 1/rcond; first the O(p²)
        // comparison-matrix bound, then ‖R‖_F·‖R⁻¹‖_F, trusted when the
        // inverse it is computed from errs by at most about a percent
        // (n·ε·bound ≤ 1e-2). The SVD would find every value above τ then too.
        if 1.25 * ConditionBound.comparison(upperRowMajor: equilibrated, size: p) * rcond < 1 {
            return Ranks(rank: p, centeredRank: fitIntercept ? features : p, fullRank: true)
        }
        let bound = ConditionBound.frobenius(upperRowMajor: equilibrated, size: p, threads: threads)
        if bound.isFinite, Double(p) * Double.ulpOfOne * bound <= 1e-2, 1.25 * bound * rcond < 1 {
            return Ranks(rank: p, centeredRank: fitIntercept ? features : p, fullRank: true)
        }
        let fullEquilibrated = JacobiSVD.triangularValues(
            columnMajor: columnMajor(equilibrated, rows: 0 ..< p, columns: 0 ..< p), size: p)
        let sigmaMax = fullEquilibrated.values.first ?? 0
        let tau = rcond * sigmaMax
        let rank = sigmaMax > 0 ? fullEquilibrated.values.filter { $0 > tau }.count : 0
        var centeredRank = rank
        // R = [r₀₀ r₀ᵀ; 0 R_c]: deleting the first row and then the (now zero)
        // first column interlaces the singular values, σ_d(R_c) ≥ σ_p(R), so a
        // full-rank design has a full-rank centred block and the second
        // decomposition is needed only when the design is rank-deficient.
        if fitIntercept && rank == p {
            centeredRank = features
        } else if fitIntercept {
            let centred = JacobiSVD.triangularValues(
                columnMajor: columnMajor(equilibrated, rows: 1 ..< p, columns: 1 ..< p), size: features)
            centeredRank = sigmaMax > 0 ? centred.values.filter { $0 > tau }.count : 0
        }
        return Ranks(rank: rank, centeredRank: centeredRank, fullRank: centeredRank == features)
    }

    /// The unscaled singular values: of the centred block (scikit-learn's
    /// `singular_`; with vectors when the minimum-norm solution needs them)
    /// and of the full design (statsmodels' condition number, the
    /// pseudo-inverse). A rank-deficient least-squares fit needs them at
    /// once; any other fit only reports them, so `centred` and `full` are
    /// nil and ``FitSpectrum`` decomposes the triangles when they are read.
    struct Spectra {
        var centred: JacobiSVD?
        /// The unscaled centred triangle (column-major), when a decomposition
        /// was made from it; empty otherwise.
        var centredMatrix: [Double]
        var centredExponent: Int
        var full: JacobiSVD?
        var fullExponent: Int
        var spectrum: FitSpectrum
    }

    private func unscaledSpectra(ranks: Ranks, wantVectors: Bool, exponents exps: [Int], threads: Int) -> Spectra {
        let p = parameterCount, d = features
        let offset = fitIntercept ? 1 : 0
        guard wantVectors else {
            // The triangles too are formed when first read (FitSpectrum).
            let source = FitSpectrum.Source(factor: self, exponents: exps, centredColumns: offset ..< p,
                                            hasFull: fitIntercept, rowCount: rowCount, fullRank: ranks.rank == p)
            return Spectra(centred: nil, centredMatrix: [], centredExponent: unscaledExponent(offset ..< p, exponents: exps),
                           full: nil, fullExponent: unscaledExponent(0 ..< p, exponents: exps),
                           spectrum: FitSpectrum(deferred: source))
        }
        let (centredMatrix, centredExponent) = unscaledColumns(offset ..< p, exponents: exps)
        let (fullMatrix, fullExponent) = fitIntercept
            ? unscaledColumns(0 ..< p, exponents: exps) : (centredMatrix, centredExponent)
        // The two decompositions are independent: on two workers from 128
        // columns on (each is computed the same way whoever computes it).
        let decompositions = UnsafeMutablePointer<JacobiSVD?>.allocate(capacity: 2)
        decompositions.initialize(repeating: nil, count: 2)
        defer { decompositions.deinitialize(count: 2); decompositions.deallocate() }
        let items = fitIntercept ? 2 : 1
        let workers = p >= 128 ? WorkerThreads.count(requested: threads, pieces: items) : 1
        WorkerThreads.forEach(items: items, workers: workers) { _, item in
            let (matrix, size) = item == 0 ? (centredMatrix, d) : (fullMatrix, p)
            decompositions[item] = JacobiSVD(columnMajor: matrix, rows: size, columns: size, wantVectors: true)
        }
        let centredSVD = decompositions[0]!
        let fullSVD = decompositions[items &- 1]!
        let singularValues = centredSVD.values.prefix(min(rowCount, d)).map {
            PowerOfTwo.scale($0, by: centredExponent)
        }
        let spectrum = FitSpectrum(singularValues: singularValues,
                                   conditionNumber: FitSpectrum.conditionNumber(fullSVD.values, fullRank: ranks.rank == p))
        return Spectra(centred: centredSVD, centredMatrix: centredMatrix, centredExponent: centredExponent,
                       full: fullSVD, fullExponent: fullExponent, spectrum: spectrum)
    }

    /// alpha = 0: back-substitution when the centred block has full rank,
    /// else (or if back-substitution fails) the minimum-norm solution.
    /// Scaled coordinates, intercept first, one array per output.
    private func leastSquaresSolutions(ranks: Ranks, spectra: Spectra, exponents exps: [Int]) -> [[DoubleDouble]] {
        let p = parameterCount, d = features
        if ranks.fullRank {
            var solutions: [[DoubleDouble]] = []
            for j in 0 ..< outputs {
                let rhs = (0 ..< p).map { r[$0, p &+ j] }
                guard let z = TriangularSolve.backSubstitute(r, size: p, rightHandSide: rhs) else { break }
                solutions.append(z)
            }
            if solutions.count == outputs { return solutions }
        }
        var svd: JacobiSVD
        if let centred = spectra.centred, !centred.v.isEmpty {
            svd = centred
        } else {
            let matrix = spectra.centredMatrix.isEmpty
                ? unscaledColumns((p &- d) ..< p, exponents: exps).matrix : spectra.centredMatrix
            svd = JacobiSVD(columnMajor: matrix, rows: d, columns: d, wantVectors: true)
        }
        return minimumNormSolutions(svd: svd, rank: ranks.centeredRank, exponent: spectra.centredExponent,
                                    exponents: exps)
    }

    /// The coefficients in the caller's units, and the residual and total
    /// sums of squares per output; ``EngineError/overflow(_:)`` for an answer
    /// beyond the range of Double.
    func mapBack(_ solutions: [[DoubleDouble]], exponents exps: [Int]) throws
        -> (weights: [Double], intercepts: [Double], rss: [Double], tss: [Double]) {
        let p = parameterCount, d = features, k = outputs
        let offset = fitIntercept ? 1 : 0
        var weights = [Double](repeating: 0, count: k &* d)
        var intercepts = [Double](repeating: 0, count: k)
        var rss = [Double](repeating: 0, count: k)
        var tss = [Double](repeating: 0, count: k)
        for j in 0 ..< k {
            let z = solutions[j]
            let ey = exps[p &+ j]
            for c in 0 ..< d {
                let column = c &+ offset
                weights[j &* d &+ c] = PowerOfTwo.scale(z[column].value, by: ey &- exps[column])
            }
            if fitIntercept {
                intercepts[j] = PowerOfTwo.scale(z[0].value, by: ey &- exps[0])
            }
            // Σ wᵢ rᵢ² = ‖c − R₁₁ z‖² + ‖T's column‖²  (scaled by 2^(2 e_y)).
            var residual = DoubleDouble.zero
            for i in 0 ..< p {
                var ri = r[i, p &+ j]
                for l in i ..< p { ri -= r[i, l] * z[l] }
                residual += ri.squared
            }
            residual += r.squaredNorm(column: p &+ j, rows: p ..< (p &+ j &+ 1))
            rss[j] = PowerOfTwo.scale(residual.value, by: 2 &* ey)
            let total = r.squaredNorm(column: p &+ j, rows: offset ..< (p &+ j &+ 1))
            tss[j] = PowerOfTwo.scale(total.value, by: 2 &* ey)
        }
        // The factorisation is scaled, so the only way to a non-finite
        // coefficient is a true answer beyond the range of Double.
        if let bad = weights.firstIndex(where: { !$0.isFinite }) {
            throw EngineError.overflow("the least-squares weight W[\(bad / max(d, 1))][\(bad % max(d, 1))] is too large for a double (about \(weights[bad]))")
        }
        if let bad = intercepts.firstIndex(where: { !$0.isFinite }) {
            throw EngineError.overflow("the least-squares intercept b[\(bad)] is too large for a double")
        }
        return (weights, intercepts, rss, tss)
    }

    // MARK: Pieces

    /// R's design block (p × p, rounded to double) with each column scaled
    /// by the power of two nearest 1/‖column‖: row-major p × p.
    private func equilibratedDesign() -> [Double] {
        let p = parameterCount
        let squares = r.upperColumnSquaredNorms(p)
        var shifts = [Int](repeating: 0, count: p)
        for c in 0 ..< p {
            let norm = squares[c].squareRoot().value
            shifts[c] = norm > 0 ? -Int(norm.exponent) : 0
        }
        var result = [Double](repeating: 0, count: p &* p)
        for i in 0 ..< p {
            for c in i ..< p { result[i &* p &+ c] = PowerOfTwo.scale(r.value(i, c), by: shifts[c]) }
        }
        return result
    }

    /// The block `rows × columns` of a row-major p × p matrix, column-major.
    private func columnMajor(_ a: [Double], rows: Range<Int>, columns: Range<Int>) -> [Double] {
        let p = parameterCount
        var result = [Double](repeating: 0, count: rows.count &* columns.count)
        for (j, c) in columns.enumerated() {
            for (i, row) in rows.enumerated() {
                result[j &* rows.count &+ i] = a[row &* p &+ c]
            }
        }
        return result
    }

    /// E of ``unscaledColumns(_:exponents:)``: the largest column exponent on `range`.
    func unscaledExponent(_ range: Range<Int>, exponents: [Int]) -> Int {
        range.map { exponents[$0] }.max() ?? 0
    }

    /// The square block of R on `range` × `range` with its scaling undone,
    /// as (column-major matrix M, exponent E): the unscaled block is M·2^E.
    /// E is the largest column exponent, so M's entries are at most those of
    /// the scaled R (no overflow).
    func unscaledColumns(_ range: Range<Int>, exponents: [Int]) -> (matrix: [Double], exponent: Int) {
        let size = range.count
        let top = unscaledExponent(range, exponents: exponents)
        var result = [Double](repeating: 0, count: size &* size)
        for (j, c) in range.enumerated() {
            for (i, row) in range.enumerated() where row <= c {
                result[j &* size &+ i] = PowerOfTwo.scale(r.value(row, c), by: exponents[c] &- top)
            }
        }
        return (result, top)
    }

    /// Minimum-norm solutions over the feature weights (intercept solved from
    /// the first row), from the SVD of the unscaled centred block
    /// M = R_c·diag(2^(eᶜ − E)): w = Σ_{t < rank} vₜ (gₜᵀc)/σₜ², zᶜ = wᶜ·2^(eᶜ − E).
    private func minimumNormSolutions(svd: JacobiSVD, rank: Int, exponent top: Int, exponents: [Int]) -> [[DoubleDouble]] {
        let p = parameterCount
        let d = features
        let offset = fitIntercept ? 1 : 0
        var result: [[DoubleDouble]] = []
        for j in 0 ..< outputs {
            let c = (0 ..< d).map { r.value($0 &+ offset, p &+ j) }
            var w = [Double](repeating: 0, count: d)
            for t in 0 ..< min(rank, d) {
                let sigma = svd.values[t]
                if !(sigma > 0) { continue }
                var projection = 0.0
                for i in 0 ..< d { projection += svd.g[t &* d &+ i] * c[i] }
                let coefficient = (projection / sigma) / sigma
                if !coefficient.isFinite { continue }
                for i in 0 ..< d { w[i] += svd.v[t &* d &+ i] * coefficient }
            }
            var z = [DoubleDouble](repeating: .zero, count: p)
            for i in 0 ..< d {
                let column = i &+ offset
                z[column] = DoubleDouble(PowerOfTwo.scale(w[i], by: exponents[column] &- top))
            }
            if fitIntercept { z[0] = interceptFromFirstRow(z, output: j) }
            result.append(z)
        }
        return result
    }

    /// z₀ = (c₀ − Σ_{l≥1} R₀ₗ zₗ) / R₀₀: the unpenalised intercept that zeroes
    /// the first row's residual.
    func interceptFromFirstRow(_ z: [DoubleDouble], output j: Int) -> DoubleDouble {
        let p = parameterCount
        var sum = r[0, p &+ j]
        for l in 1 ..< max(1, p) { sum -= r[0, l] * z[l] }
        let diagonal = r[0, 0]
        if diagonal.hi == 0 { return .zero }
        return sum / diagonal
    }

    /// Ridge: re-triangularise [R_c; √alpha·diag(2^(−eᶜ))] (R_c the centred
    /// block with the output columns, scaled coordinates), back-substitute,
    /// then the intercept from the first row.
    private func ridgeSolutions(alpha: Double, exponents: [Int], rcond: Double) -> [[DoubleDouble]] {
        let p = parameterCount
        let d = features
        let offset = fitIntercept ? 1 : 0
        let (block, unpenalised, shift, penalty) = regularisedBlock(alpha: alpha, exponents: exponents)
        var result: [[DoubleDouble]] = []
        for j in 0 ..< outputs {
            let rhs = (0 ..< d).map { block[$0, d &+ j] }
            var w: [DoubleDouble]
            if let solved = TriangularSolve.backSubstitute(block, size: d, rightHandSide: rhs) {
                w = QRAccumulator.refineRidge(solved, unpenalised: unpenalised, regularised: block, penalty: penalty,
                                              output: j, features: d)
            } else {
                // Only when the penalty underflowed: minimum-norm fallback.
                w = QRAccumulator.minimumNorm(block, size: d, rightHandSide: rhs, rcond: rcond)
            }
            var z = [DoubleDouble](repeating: .zero, count: p)
            for c in 0 ..< d { z[c &+ offset] = w[c].scaled(byPowerOfTwo: shift[c]) }
            if fitIntercept { z[0] = interceptFromFirstRow(z, output: j) }
            result.append(z)
        }
        return result
    }

    /// The ridge problem's factor: the centred block of R and its
    /// right-hand sides (columns d ..< d + k) with the penalty rows √α
    /// (in scaled coordinates) absorbed by Householder reflections in
    /// double-double, so that ‖R_α·w − c_α‖² = ‖R_c·w − c‖² + α‖w‖² up to a
    /// constant; `shift` the extra power-of-two column scaling (a solution
    /// w in these coordinates is w·2^shift in the factor's), `penalty` the
    /// scaled √α per column, `unpenalised` the block before absorbing them.
    func regularisedBlock(alpha: Double, exponents: [Int])
        -> (block: DoubleDoubleMatrix, unpenalised: DoubleDoubleMatrix, shift: [Int], penalty: [DoubleDouble]) {
        let d = features
        let m = columnCount
        let offset = fitIntercept ? 1 : 0
        let q = m &- offset
        var block = r.submatrix(rows: offset ..< m, columns: offset ..< m)
        let root = DoubleDouble(alpha).squareRoot()
        let rootExponent = Int(root.hi.exponent)
        // Extra column scaling so that the block column and its penalty are
        // both at most about 1 in magnitude.
        var shift = [Int](repeating: 0, count: d)
        var penalty = [DoubleDouble](repeating: .zero, count: d)
        for c in 0 ..< d {
            var largest = rootExponent &- exponents[c &+ offset]
            for i in 0 ... c {
                let x = block.value(i, c)
                if x != 0 { largest = max(largest, Int(x.exponent)) }
            }
            shift[c] = -largest
            block.scaleColumn(c, byPowerOfTwo: shift[c])
            penalty[c] = root.scaled(byPowerOfTwo: -exponents[c &+ offset] &+ shift[c])
        }
        // Penalty rows as a column-major d × q block: row c has its entry in column c.
        var hi = [Double](repeating: 0, count: max(1, d) &* q)
        var lo = [Double](repeating: 0, count: max(1, d) &* q)
        for c in 0 ..< d {
            hi[c &* d &+ c] = penalty[c].hi
            lo[c &* d &+ c] = penalty[c].lo
        }
        var scratch = [Double](repeating: 0, count: 2 &* max(1, d))
        let unpenalised = block
        StackedHouseholder.absorb(into: &block, columns: q, blockHi: &hi, blockLo: &lo, rows: d, ld: max(1, d),
                                  scratch: &scratch)
        return (block, unpenalised, shift, penalty)
    }

    /// Iterative refinement of a ridge solution on the normal equations
    /// (R₀ᵀR₀ + P²) w = R₀ᵀc, with the residual g = R₀ᵀ(c − R₀w) − P²w in
    /// double-double and corrections from the regularised factor R
    /// (RᵀR = R₀ᵀR₀ + P²): w ← w + R⁻¹R⁻ᵀg. All O(d²) on the small factor.
    ///
    /// Orthogonal reduction gives w with an *absolute* error of about
    /// u²·‖c‖/σ_min(R); when the penalty dominates by more than 1/u² that is
    /// larger than w itself (alpha ≫ 1e32·σ²). Each step contracts the error
    /// by about κ(R)²·u², so a few steps recover full relative accuracy. A
    /// step is kept only if it reduces ‖g‖, so refinement never makes a
    /// solution worse.
    static func refineRidge(_ start: [DoubleDouble], unpenalised r0: DoubleDoubleMatrix, regularised r: DoubleDoubleMatrix,
                            penalty: [DoubleDouble], output j: Int, features d: Int) -> [DoubleDouble] {
        func gradient(_ w: [DoubleDouble]) -> [DoubleDouble] {
            var residual = [DoubleDouble](repeating: .zero, count: d)
            for i in 0 ..< d {
                var value = r0[i, d &+ j]
                for l in i ..< d { value -= r0[i, l] * w[l] }
                residual[i] = value
            }
            var g = [DoubleDouble](repeating: .zero, count: d)
            for l in 0 ..< d {
                var value = -(penalty[l].squared * w[l])
                for i in 0 ... l { value += r0[i, l] * residual[i] }
                g[l] = value
            }
            return g
        }
        func size(_ v: [DoubleDouble]) -> Double { v.reduce(0) { max($0, abs($1.hi)) } }
        var w = start
        var g = gradient(w)
        var gSize = size(g)
        var iteration = 0
        while iteration < 12 && gSize > 0 {
            guard let y = TriangularSolve.forwardSubstituteTransposed(r, size: d, rightHandSide: g),
                  let delta = TriangularSolve.backSubstitute(r, size: d, rightHandSide: y) else { break }
            let candidate = zip(w, delta).map { $0 + $1 }
            let candidateG = gradient(candidate)
            let candidateSize = size(candidateG)
            if !(candidateSize < gSize) { break }
            w = candidate
            g = candidateG
            gSize = candidateSize
            if size(delta) <= 1e-20 * size(w) { break }
            iteration &+= 1
        }
        return w
    }

    /// Minimum-norm solution of the leading n × n triangle of `u` times x = b
    /// via its SVD, dropping singular values ≤ rcond·σ_max.
    static func minimumNorm(_ u: DoubleDoubleMatrix, size n: Int, rightHandSide b: [DoubleDouble],
                            rcond: Double) -> [DoubleDouble] {
        var a = [Double](repeating: 0, count: n &* n)
        for j in 0 ..< n { for i in 0 ... j { a[j &* n &+ i] = u.value(i, j) } }
        let svd = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: true)
        let cutoff = rcond * (svd.values.first ?? 0)
        var x = [Double](repeating: 0, count: n)
        for t in 0 ..< n where svd.values[t] > cutoff && svd.values[t] > 0 {
            var projection = 0.0
            for i in 0 ..< n { projection += svd.g[t &* n &+ i] * b[i].value }
            let coefficient = (projection / svd.values[t]) / svd.values[t]
            if !coefficient.isFinite { continue }
            for i in 0 ..< n { x[i] += svd.v[t &* n &+ i] * coefficient }
        }
        return x.map { DoubleDouble($0) }
    }

    /// (XᵀWX)⁺ of the unscaled full design, features first then intercept.
    /// Full rank: R⁻¹R⁻ᵀ in double-double. Otherwise the pseudo-inverse
    /// V Σ⁻² Vᵀ from the SVD of the unscaled design block, truncated to its
    /// `rank` largest singular values (statsmodels' pinv).
    private func unscaledCovariance(fullRank: Bool, rank: Int, fullSVD: JacobiSVD?, fullExponent: Int,
                                    exponents: [Int], threads: Int) -> [Double] {
        let p = parameterCount
        let d = features
        var internalCovariance = [Double](repeating: 0, count: p &* p)
        var done = false
        if fullRank, let inverse = TriangularSolve.inverse(r, size: p, threads: threads) {
            // Row a of (R⁻¹)(R⁻¹)ᵀ, b ≥ a, on `threads` workers (each entry
            // is computed the same way whoever computes it).
            // Each entry is a SIMD double-double dot product of two rows of R⁻¹.
            let level = KernelDispatch.level(nil)
            internalCovariance.withUnsafeMutableBufferPointer { buffer in
                inverse.hi.withUnsafeBufferPointer { hiBuffer in
                inverse.lo.withUnsafeBufferPointer { loBuffer in
                guard let out = buffer.baseAddress, let ih = hiBuffer.baseAddress, let il = loBuffer.baseAddress else {
                    return
                }
                let workers = WorkerThreads.count(requested: threads, pieces: p)
                WorkerThreads.forEach(items: p, workers: p >= 64 ? workers : 1) { _, a in
                    for b in a ..< p {
                        let rowA = a &* p &+ b, rowB = b &* p &+ b
                        let sum = KernelDispatch.doubleDoubleDot(ih + rowA, il + rowA, ih + rowB, il + rowB,
                                                                 rows: p &- b, level: level)
                        let value = PowerOfTwo.scale(sum.value, by: -(exponents[a] &+ exponents[b]))
                        out[a &* p &+ b] = value
                        out[b &* p &+ a] = value
                    }
                }
                }
                }
            }
            done = internalCovariance.allSatisfy { $0.isFinite }
        }
        if !done {
            var svd: JacobiSVD
            if let fullSVD, !fullSVD.v.isEmpty {
                svd = fullSVD
            } else {
                let (matrix, _) = unscaledColumns(0 ..< p, exponents: exponents)
                svd = JacobiSVD(columnMajor: matrix, rows: p, columns: p, wantVectors: true)
            }
            internalCovariance = [Double](repeating: 0, count: p &* p)
            for t in 0 ..< min(rank, p) {
                let sigma = svd.values[t]
                if !(sigma > 0) { continue }
                let inverseSquare = PowerOfTwo.scale((1 / sigma) / sigma, by: -2 &* fullExponent)
                if !inverseSquare.isFinite { continue }
                for a in 0 ..< p {
                    let va = svd.v[t &* p &+ a] * inverseSquare
                    for b in 0 ..< p { internalCovariance[a &* p &+ b] += va * svd.v[t &* p &+ b] }
                }
            }
        }
        // Reorder: internal (intercept first) → external (features first).
        if !fitIntercept { return internalCovariance }
        func external(_ c: Int) -> Int { c == 0 ? d : c &- 1 }
        var result = [Double](repeating: 0, count: p &* p)
        for a in 0 ..< p {
            for b in 0 ..< p { result[external(a) &* p &+ external(b)] = internalCovariance[a &* p &+ b] }
        }
        return result
    }
}
