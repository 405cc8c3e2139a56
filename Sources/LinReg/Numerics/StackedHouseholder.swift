/// The kernel of the tall-skinny QR: Householder triangularisation of a
/// stacked matrix `[R; B]` in double-double arithmetic, where R is an m × m
/// upper-triangular matrix and B a block of b rows with the same m columns.
///
/// After the call R holds the R factor of `[R; B]` (RᵀR + BᵀB is preserved
/// exactly in exact arithmetic, to about u² ≈ 1e-32 relative to the column
/// norms in practice) and B's contents are garbage. Repeating this over the
/// row blocks of a matrix A computes the R factor of A while only ever
/// holding m × m + b × m numbers: a row-blocked (tall-skinny) QR.
///
/// **Algorithm.** For each column j the reflector H = I − γ u uᵀ with
/// u = [R[j][j] − β; B[:, j]] maps [R[j][j]; B[:, j]] to [β; 0], where
/// β = −sign(R[j][j])·‖[R[j][j]; B[:, j]]‖ (LAPACK's sign choice, so that
/// u₀ = R[j][j] − β involves no cancellation) and γ = −1/(β·u₀). It is applied
/// to the columns l > j of R's row j and of B. R's rows other than j are not
/// touched: column j of the stack has non-zeros only in R[j][j] and B.
/// A column of B that is already zero, or below 2^−106 of its column's norm
/// (noise at the level of the arithmetic, see `isNegligible`), is skipped
/// (H = I).
///
/// **Precision.** Every quantity is a double-double (``DoubleDouble``):
/// products are exact (a fused multiply-add, or Dekker's split on the
/// baseline), dot products are compensated sums (the Dot2 scheme of Ogita,
/// Rump and Oishi) kept as double-doubles, and updates are double-double
/// additions. The loops over the block's rows are `DoubleDoubleKernel`,
/// dispatched per instruction set (eight rows per vector; the same bits on
/// every instruction set). The backward error is therefore of order
/// b·u² times the column norms instead of b·u, which is what lets the solver
/// return the exact least-squares solution of the float64 data to full
/// double precision even for condition numbers of 1e10 and large residuals.
///
/// **Layout.** R is row-major with leading dimension m, as two planes (high
/// and low parts). B is column-major with leading dimension `ld ≥ b`, also as
/// two planes, so that the inner loops run over contiguous memory.
/// Entries must be scaled (see ``PowerOfTwo``) so that squares neither
/// overflow nor underflow: magnitudes within about 2^±400 are safe.
enum StackedHouseholder {
    /// Triangularises `[R; B]` in place.
    ///
    /// - Parameters:
    ///   - rHi, rLo: the m × m upper-triangular R (row-major), updated.
    ///   - m: number of columns.
    ///   - bHi, bLo: the block, column-major, `ld` apart; destroyed.
    ///   - rows: b, the number of rows of the block (may be 0).
    ///   - ld: the leading dimension of the block.
    ///   - scratch: room for 2·rows doubles.
    static func absorb(rHi: UnsafeMutablePointer<Double>, rLo: UnsafeMutablePointer<Double>, m: Int,
                       bHi: UnsafeMutablePointer<Double>, bLo: UnsafeMutablePointer<Double>,
                       rows b: Int, ld: Int, scratch _: UnsafeMutablePointer<Double>,
                       kernels: KernelDispatch.Level? = nil) {
        if b <= 0 || m <= 0 { return }
        let level = KernelDispatch.level(kernels)
        for j in 0 ..< m {
            let vh = bHi + j &* ld
            let vl = bLo + j &* ld
            let s = KernelDispatch.doubleDoubleSquaredNorm(vh, vl, rows: b, level: level)
            if s.hi == 0 { continue }
            let diagonal = j &* m &+ j
            let alpha = DoubleDouble(rHi[diagonal], rLo[diagonal])
            if isNegligible(s, besideColumn: j, diagonal: alpha, rHi: rHi, m: m) { continue }
            let norm = (alpha.squared + s).squareRoot()
            let beta = alpha.hi >= 0 ? -norm : norm
            let u0 = alpha - beta
            let denominator = beta * u0  // = −uᵀu/2 < 0
            if denominator.hi == 0 || !denominator.hi.isFinite { continue }
            let gamma = -(DoubleDouble.one / denominator)
            if !gamma.hi.isFinite { continue }
            rHi[diagonal] = beta.hi
            rLo[diagonal] = beta.lo
            var l = j &+ 1
            while l < m {
                let bh = bHi + l &* ld
                let bl = bLo + l &* ld
                let rIndex = j &* m &+ l
                let rjl = DoubleDouble(rHi[rIndex], rLo[rIndex])
                let dot = KernelDispatch.doubleDoubleDot(vh, vl, bh, bl, rows: b, level: level) + u0 * rjl
                if dot.hi != 0 {
                    let t = dot * gamma
                    let updated = rjl - t * u0
                    rHi[rIndex] = updated.hi
                    rLo[rIndex] = updated.lo
                    KernelDispatch.doubleDoubleSubtractMultiple(t, vh, vl, bh, bl, rows: b, level: level)
                }
                l &+= 1
            }
        }
    }

    /// ``absorb(rHi:rLo:m:bHi:bLo:rows:ld:scratch:)`` on array storage: R is
    /// `r` (m × m), B the column-major block in `blockHi`/`blockLo`, `ld` rows
    /// apart; `scratch` holds at least 2·rows doubles.
    static func absorb(into r: inout DoubleDoubleMatrix, columns m: Int, blockHi: inout [Double],
                       blockLo: inout [Double], rows b: Int, ld: Int, scratch: inout [Double]) {
        if b <= 0 || m <= 0 { return }
        r.hi.withUnsafeMutableBufferPointer { rh in
            r.lo.withUnsafeMutableBufferPointer { rl in
                blockHi.withUnsafeMutableBufferPointer { bh in
                    blockLo.withUnsafeMutableBufferPointer { bl in
                        scratch.withUnsafeMutableBufferPointer { s in
                            guard let rhp = rh.baseAddress, let rlp = rl.baseAddress, let bhp = bh.baseAddress,
                                  let blp = bl.baseAddress, let sp = s.baseAddress else { return }
                            absorb(rHi: rhp, rLo: rlp, m: m, bHi: bhp, bLo: blp, rows: b, ld: ld, scratch: sp)
                        }
                    }
                }
            }
        }
    }

    /// Whether B's part of column j, of squared norm `s`, is rounding noise:
    /// below 2^−106 (about u², the reduction's own backward error) of the
    /// whole column's norm, R's part included. Such a part is dropped (the
    /// reflection is skipped, as for an exactly zero column): a backward
    /// perturbation no larger than the arithmetic already makes.
    ///
    /// Without this rule, noise left by earlier reflections is treated as
    /// data: when a block has fewer rows than the columns still to be
    /// reduced (wide data, n < p), every column after the first n has only
    /// such noise below the diagonal, each reflection squares its scale, and
    /// after a few dozen columns the reflector's scale 1/(β·u₀) overflows and
    /// fills R with NaN.
    @inline(__always)
    private static func isNegligible(_ s: DoubleDouble, besideColumn j: Int, diagonal alpha: DoubleDouble,
                                     rHi: UnsafeMutablePointer<Double>, m: Int) -> Bool {
        // ‖R[0...j][j]‖² in double: only compared against, never used.
        var column = alpha.hi * alpha.hi
        var i = 0
        while i < j {
            let x = rHi[i &* m &+ j]
            column += x * x
            i &+= 1
        }
        return s.hi <= column * negligibleRatio
    }

    /// 2^−212: a squared-norm ratio, i.e. a norm ratio of 2^−106.
    private static let negligibleRatio = 0x1p-212
}
