/// Non-negative least squares on a small triangular factor: the z ≥ 0 that
/// minimises ‖U·z − b‖, by the active-set method of Lawson and Hanson
/// ("Solving Least Squares Problems", 1974, chapter 23), in double-double.
///
/// U is the d × d upper-triangular factor of the design (UᵀU = XᵀWX of the
/// centred, weighted data in the exact solver's scaled coordinates) and b
/// the matching rows of the transformed response, so ‖U·z − b‖² differs from
/// the residual sum of squares of the data by a constant: minimising it *is*
/// the non-negative fit of every row accumulated, and no row is read again.
/// A positive column scaling (the solver's powers of two) keeps the sign
/// constraint, so the problem is solved in the scaled coordinates as is.
///
/// **Method.** The passive set P (the coefficients free to be positive)
/// starts empty and z = 0. Each outer step computes the dual
/// g = Uᵀ(b − U·z) (the negative gradient), stops when no coefficient
/// outside P has gᵢ > τᵢ (the KKT conditions: gᵢ ≤ 0 outside P, gᵢ = 0 and
/// zᵢ > 0 inside), else moves the largest such gᵢ into P. The inner loop
/// solves the unconstrained problem on P's columns; while that solution has
/// a coefficient ≤ 0 it moves from z towards it as far as feasibility allows
/// and drops the coefficients that reached 0 from P.
///
/// **Precision.** Each subproblem re-triangularises U's columns in P and b
/// by Householder reflections in double-double (``StackedHouseholder``) and
/// back-substitutes, and the dual is formed in double-double, so the
/// solution on the final passive set is the exact least-squares solution
/// restricted to it (to ~κ·1e-32, see ``TriangularSolve``), and the KKT
/// test τᵢ = 2⁻⁸⁰·‖Uᵢ‖·(‖b‖ + ‖U·z‖) is far below anything a double
/// coefficient can resolve.
///
/// **Termination.** Lawson and Hanson prove finite termination in exact
/// arithmetic. Against rounding in degenerate problems (a dual of about
/// zero), a coefficient whose entry is immediately undone (its own
/// unconstrained value is ≤ 0) is barred until the passive set changes
/// otherwise, and the number of outer steps is capped at 3·d + 30 (SciPy's
/// `nnls` caps at 3·d). The returned z is always feasible (z ≥ 0).
enum NonNegativeLeastSquares {
    /// What the solver returns: the solution and how it ended.
    struct Solution {
        /// z ≥ 0, d entries.
        var z: [DoubleDouble]
        /// Outer steps taken.
        var iterations: Int
        /// False when the iteration cap stopped it (z is then feasible but
        /// may not satisfy the KKT conditions).
        var converged: Bool
    }

    /// The non-negative least-squares solution of U[0..<d, 0..<d]·z ≈ b.
    ///
    /// - Parameters:
    ///   - u: a matrix whose leading d × d block is upper triangular (entries
    ///     below the diagonal are ignored), scaled so that squares of its
    ///     entries and of b's neither overflow nor underflow.
    ///   - d: the number of coefficients.
    ///   - b: the right-hand side, d entries.
    static func solve(_ u: DoubleDoubleMatrix, size d: Int, rightHandSide b: [DoubleDouble]) -> Solution {
        var z = [DoubleDouble](repeating: .zero, count: d)
        if d == 0 { return Solution(z: z, iterations: 0, converged: true) }
        let columnNorms = (0 ..< d).map { u.squaredNorm(column: $0, rows: 0 ..< ($0 &+ 1)).squareRoot().value }
        let bNorm = b.reduce(DoubleDouble.zero) { $0 + $1.squared }.squareRoot().value
        var passive = [Bool](repeating: false, count: d)
        var barred = [Bool](repeating: false, count: d)
        let cap = 3 &* d &+ 30
        var iterations = 0
        while iterations < cap {
            let (g, fitNorm) = dual(u, size: d, rightHandSide: b, z: z)
            let scale = bNorm + fitNorm
            var entering = -1
            var largest = 0.0
            for i in 0 ..< d where !passive[i] && !barred[i] {
                let tolerance = 0x1p-80 * columnNorms[i] * scale
                let value = g[i].value
                if value > tolerance && value > largest {
                    largest = value
                    entering = i
                }
            }
            if entering < 0 { return Solution(z: z, iterations: iterations, converged: true) }
            iterations &+= 1
            passive[entering] = true
            var first = true
            while true {
                let indices = (0 ..< d).filter { passive[$0] }
                guard let s = restrictedSolution(u, size: d, rightHandSide: b, columns: indices) else {
                    // A singular subproblem: the entering column depends on
                    // the others (a rank-deficient design). Leave it out.
                    passive[entering] = false
                    barred[entering] = true
                    break
                }
                if first && !(s[entering].hi > 0) {
                    // Entering would be undone at once: rounding in a
                    // degenerate dual. Bar it until the set changes.
                    passive[entering] = false
                    barred[entering] = true
                    break
                }
                first = false
                if indices.allSatisfy({ s[$0].hi > 0 }) {
                    z = s
                    barred = [Bool](repeating: false, count: d)
                    break
                }
                // Step from z towards s as far as z stays ≥ 0.
                var step = DoubleDouble.one
                var blocking = -1
                for i in indices where !(s[i].hi > 0) {
                    let ratio = z[i] / (z[i] - s[i])
                    if blocking < 0 || ratio.value < step.value {
                        step = ratio
                        blocking = i
                    }
                }
                for i in 0 ..< d where passive[i] { z[i] = z[i] + step * (s[i] - z[i]) }
                if blocking >= 0 { z[blocking] = .zero }
                for i in 0 ..< d where passive[i] && !(z[i].hi > 0) {
                    passive[i] = false
                    z[i] = .zero
                }
                if !passive.contains(true) { break }
            }
        }
        return Solution(z: z, iterations: iterations, converged: false)
    }

    /// g = Uᵀ(b − U·z) in double-double, and ‖U·z‖ (for the tolerance).
    static func dual(_ u: DoubleDoubleMatrix, size d: Int, rightHandSide b: [DoubleDouble],
                     z: [DoubleDouble]) -> (g: [DoubleDouble], fitNorm: Double) {
        var residual = [DoubleDouble](repeating: .zero, count: d)
        var fit = DoubleDouble.zero
        for i in 0 ..< d {
            var value = DoubleDouble.zero
            for l in i ..< d where z[l].hi != 0 { value += u[i, l] * z[l] }
            fit += value.squared
            residual[i] = b[i] - value
        }
        var g = [DoubleDouble](repeating: .zero, count: d)
        for l in 0 ..< d {
            var value = DoubleDouble.zero
            for i in 0 ... l { value += u[i, l] * residual[i] }
            g[l] = value
        }
        return (g, fit.squareRoot().value)
    }

    /// The unconstrained least-squares solution using only `columns` of U
    /// (the others zero): the columns and b are re-triangularised by
    /// Householder reflections in double-double and back-substituted. Nil
    /// when the columns are numerically dependent.
    static func restrictedSolution(_ u: DoubleDoubleMatrix, size d: Int, rightHandSide b: [DoubleDouble],
                                   columns: [Int]) -> [DoubleDouble]? {
        let q = columns.count
        var result = [DoubleDouble](repeating: .zero, count: d)
        if q == 0 { return result }
        // [U[:, columns], b] as a column-major d × (q + 1) block.
        let width = q &+ 1
        var hi = [Double](repeating: 0, count: d &* width)
        var lo = [Double](repeating: 0, count: d &* width)
        for (j, c) in columns.enumerated() {
            for i in 0 ... c {
                let value = u[i, c]
                hi[j &* d &+ i] = value.hi
                lo[j &* d &+ i] = value.lo
            }
        }
        for i in 0 ..< d {
            hi[q &* d &+ i] = b[i].hi
            lo[q &* d &+ i] = b[i].lo
        }
        var factor = DoubleDoubleMatrix(rows: width, columns: width)
        var scratch = [Double](repeating: 0, count: 2 &* d)
        StackedHouseholder.absorb(into: &factor, columns: width, blockHi: &hi, blockLo: &lo, rows: d, ld: d,
                                  scratch: &scratch)
        // A diagonal far below its column's norm means dependence.
        for (j, c) in columns.enumerated() {
            let norm = u.squaredNorm(column: c, rows: 0 ..< (c &+ 1)).squareRoot().value
            if !(abs(factor[j, j].value) > 0x1p-90 * norm) { return nil }
        }
        let rhs = (0 ..< q).map { factor[$0, q] }
        guard let solved = TriangularSolve.backSubstitute(factor, size: q, rightHandSide: rhs) else { return nil }
        for (j, c) in columns.enumerated() { result[c] = solved[j] }
        return result
    }
}
