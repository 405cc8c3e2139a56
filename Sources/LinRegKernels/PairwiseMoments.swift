/// The pairwise update of Chan, Golub and LeVeque ("Algorithms for computing
/// the sample variance", 1983), weighted form: the one place that combines
/// the means and centred co-moments of two disjoint sets of rows.
///
/// With counts (weight sums) nₐ and n_b, δ = mean_b − meanₐ and n = nₐ + n_b:
///
///     S    ← Sₐ + (S_b + (nₐ·n_b/n)·δδᵀ)
///     mean ← meanₐ + δ·(n_b/n)
///
/// Used by the moments kernel (a block into its chunk), by `CrossProducts`
/// (chunks into the total, and two `CrossProducts` into one). The formula,
/// its association and the order of operations are the same everywhere, so
/// every caller gets the same bits (no fused multiply-add: the kernels are
/// compiled without contraction).
public enum PairwiseMoments {
    /// Merges (n_b, δ, S_b) into (nₐ, meanₐ, Sₐ) in place and returns n.
    ///
    /// S is the lower triangle of a p × p matrix stored row by row `ld`
    /// apart (row b holds columns 0 … b); it is updated in whole groups of
    /// eight lanes, so row b's entries b + 1 … (b + 8) & ~7 are written too
    /// and mean nothing: `ld` must be a multiple of 8 and every row must have
    /// those lanes allocated (``MomentsKernel/leadingDimension(features:outputs:)``).
    /// `delta` holds δ (ld entries, zero past p) and `mean` ld entries.
    /// Nothing happens when n_b = 0.
    ///
    /// `removing` r (ld entries, with `weight` N): S_b is first corrected to
    /// S_b − (N·r_b)·r (the moments kernel's correction for the rounding
    /// left in a block's centre), entry by entry as it is read, which is
    /// the same arithmetic as correcting S_b in place first, without
    /// writing it back.
    @inlinable @inline(__always)
    public static func merge(s: UnsafeMutablePointer<Double>, mean: UnsafeMutablePointer<Double>, count na: Double,
                             source: UnsafePointer<Double>, delta: UnsafePointer<Double>, count nb: Double,
                             p: Int, ld: Int, removing offset: UnsafePointer<Double>? = nil,
                             weight: Double = 0, overwrite: Bool = false) -> Double {
        guard nb > 0 || !nb.isFinite else { return na }
        mergeRows(0 ..< p, s: s, count: na, source: source, delta: delta, count: nb, ld: ld, removing: offset,
                  weight: weight, overwrite: overwrite)
        return mergeMeans(mean, count: na, delta: delta, count: nb, ld: ld)
    }

    /// The S part of ``merge(s:mean:count:source:delta:count:p:ld:removing:weight:overwrite:)``
    /// for the rows `rows` of S only (each row is the same arithmetic
    /// whichever call computes it, so rows may be shared among threads).
    /// With `overwrite`, Sₐ is taken as zero without being read (the first
    /// block of a chunk: the same bits as adding to zeros).
    @inlinable @inline(__always)
    public static func mergeRows(_ rows: Range<Int>, s: UnsafeMutablePointer<Double>, count na: Double,
                                 source: UnsafePointer<Double>, delta: UnsafePointer<Double>, count nb: Double,
                                 ld: Int, removing offset: UnsafePointer<Double>? = nil, weight: Double = 0,
                                 overwrite: Bool = false) {
        guard nb > 0 || !nb.isFinite else { return }
        let total = na + nb
        let share = nb / total
        let f = na * share
        var b = rows.lowerBound
        while b < rows.upperBound {
            let fb = SIMD8<Double>(repeating: f * delta[b])
            let row = s + b &* ld, from = source + b &* ld
            let lanes = (b &+ 8) & ~7
            var c = 0
            if let offset {
                let g = SIMD8<Double>(repeating: weight * offset[b])
                while c < lanes {
                    let corrected = load8(from + c) - g * load8(offset + c)
                    store((overwrite ? SIMD8() : load8(row + c)) + (corrected + fb * load8(delta + c)), row + c)
                    c &+= 8
                }
            } else {
                while c < lanes {
                    store((overwrite ? SIMD8() : load8(row + c)) + (load8(from + c) + fb * load8(delta + c)), row + c)
                    c &+= 8
                }
            }
            b &+= 1
        }
    }

    /// The mean part of the merge: mean ← meanₐ + δ·(n_b/n); returns n.
    @inlinable @inline(__always)
    public static func mergeMeans(_ mean: UnsafeMutablePointer<Double>, count na: Double,
                                  delta: UnsafePointer<Double>, count nb: Double, ld: Int) -> Double {
        guard nb > 0 || !nb.isFinite else { return na }
        let total = na + nb
        let shareVector = SIMD8<Double>(repeating: nb / total)
        var c = 0
        while c < ld {
            store(load8(mean + c) + load8(delta + c) * shareVector, mean + c)
            c &+= 8
        }
        return total
    }
}
