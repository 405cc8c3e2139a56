import Testing
@testable import LinReg

/// The double-double Householder reduction (`StackedHouseholder`, row loops
/// in `DoubleDoubleKernel`): RᵀR equals BᵀB of the rows absorbed (to about
/// u² = 2^−106 of the column norms, far below double precision), and every
/// instruction set computes the same bits (fused multiply-adds on AVX2 and
/// AVX-512, Dekker's split products on the baseline: both exact), for block
/// lengths on both sides of the eight-row vectors.
struct StackedHouseholderTests {
    /// A column-major b × m block (hi and lo planes) of deterministic values.
    static func block(rows b: Int, columns m: Int, seed: UInt64) -> (hi: [Double], lo: [Double]) {
        var rng = SplitMix64(seed: seed)
        var hi = [Double](repeating: 0, count: b * m), lo = hi
        for c in 0 ..< m {
            for i in 0 ..< b {
                let u = Double(rng.next() >> 11) * 0x1p-53 - 0.5
                hi[c * b + i] = u * Double(c + 1) + (c == 0 ? 3 : 0) + (c > 0 ? 0.999 * hi[i] : 0)
                lo[c * b + i] = hi[c * b + i] * 0x1p-60
            }
        }
        return (hi, lo)
    }

    @Test(arguments: [(9, 1), (9, 7), (9, 8), (33, 100), (33, 1003), (5, 4096)])
    func factorsAgreeWithTheGramMatrixAndAcrossInstructionSets(shape: (Int, Int)) throws {
        let (m, b) = shape
        var results: [DoubleDoubleMatrix] = []
        for level in PerformancePathTests.testableLevels() {
            var r = DoubleDoubleMatrix(rows: m, columns: m)
            // Two blocks: the second meets a non-zero R.
            for seed in [UInt64(1), 2] {
                var (hi, lo) = Self.block(rows: b, columns: m, seed: seed)
                var scratch = [Double](repeating: 0, count: 2 * b)
                r.hi.withUnsafeMutableBufferPointer { rh in
                    r.lo.withUnsafeMutableBufferPointer { rl in
                        hi.withUnsafeMutableBufferPointer { bh in
                            lo.withUnsafeMutableBufferPointer { bl in
                                scratch.withUnsafeMutableBufferPointer { s in
                                    StackedHouseholder.absorb(rHi: rh.baseAddress!, rLo: rl.baseAddress!, m: m,
                                                              bHi: bh.baseAddress!, bLo: bl.baseAddress!, rows: b, ld: b,
                                                              scratch: s.baseAddress!, kernels: level)
                                }
                            }
                        }
                    }
                }
            }
            results.append(r)
            #expect(r == results[0], "m \(m) b \(b): \(level.name) differs from \(PerformancePathTests.testableLevels()[0].name)")
        }
        // RᵀR against BᵀB of both blocks, in double-double.
        let r = results[0]
        var gram = [DoubleDouble](repeating: .zero, count: m * m)
        for seed in [UInt64(1), 2] {
            let (hi, lo) = Self.block(rows: b, columns: m, seed: seed)
            for a in 0 ..< m {
                for c in 0 ..< m {
                    for i in 0 ..< b {
                        gram[a * m + c] += DoubleDouble(hi[a * b + i], lo[a * b + i]) * DoubleDouble(hi[c * b + i], lo[c * b + i])
                    }
                }
            }
        }
        for a in 0 ..< m {
            for c in 0 ..< m {
                var product = DoubleDouble.zero
                for i in 0 ... min(a, c) { product += r[i, a] * r[i, c] }
                let scale = (gram[a * m + a].value * gram[c * m + c].value).squareRoot()
                let difference = abs((product - gram[a * m + c]).value)
                #expect(difference <= 0x1p-90 * scale, "m \(m) b \(b) entry (\(a), \(c)): \(difference) of \(scale)")
            }
        }
    }
}
