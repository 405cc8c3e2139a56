import Testing
@testable import LinReg
import LinRegKernels

/// `DotKernel` (the inner products of the condition estimate and the rank
/// bound): the same bits on every instruction set for every length (the
/// four partial sums, the groups of eight after them and the tail), and a
/// value within the classical bound of the exact sum (double-double
/// reference): |error| ≤ (count + 3)·ε·Σ|xᵢyᵢ|.
struct DotKernelTests {
    /// A tag for calling the generic kernels directly.
    enum Tag: InstructionSetTag {}

    @Test(arguments: [0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 100, 257, 1025])
    func sameBitsOnEveryLevelAndWithinTheBound(count: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(count)
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
        let x = (0 ..< max(count, 1)).map { _ in next() * 1e3 }
        let y = (0 ..< max(count, 1)).map { _ in next() }
        var exact = DoubleDouble.zero
        var magnitude = 0.0
        for i in 0 ..< count {
            exact += DoubleDouble(x[i]) * y[i]
            magnitude += abs(x[i] * y[i])
        }
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeBufferPointer { yb in
                let reference = KernelDispatch.dot(xb.baseAddress!, yb.baseAddress!, count: count, level: .baseline)
                for level in PerformancePathTests.testableLevels() {
                    let value = KernelDispatch.dot(xb.baseAddress!, yb.baseAddress!, count: count, level: level)
                    #expect(value.bitPattern == reference.bitPattern, "count \(count) \(level.name)")
                }
                let bound = Double(count + 3) * Double.ulpOfOne * magnitude
                #expect(abs(reference - exact.value) <= bound, "count \(count): \(reference) vs \(exact.value)")
            }
        }
    }

    /// `dots4`: each lane has the bits of its own `dot` on every level, for
    /// a shared right-hand vector (stride 0), rows of a matrix (stride p),
    /// and counts that step down or up by one (the triangular inverse's
    /// groups), across the runs of 32, the groups of eight and the tails.
    @Test(arguments: [0, 1, 5, 31, 32, 33, 64, 65, 95, 130, 1025])
    func fourAtOnceHaveTheBitsOfOneAtATime(count: Int) {
        var state: UInt64 = 0xD1B5_4A32_D192_ED03 &+ UInt64(count)
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
        let stride = count + 11
        let x = (0 ..< 4 * stride + 8).map { _ in next() * 1e3 }
        let y = (0 ..< 4 * stride + 8).map { _ in next() }
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeBufferPointer { yb in
                let xp = xb.baseAddress!, yp = yb.baseAddress!
                for (xStride, yStride, step) in [(stride, 0, 0), (1, stride + 1, -1), (stride, 3, 1), (0, 1, 0)] {
                    let first = step < 0 ? count + 3 : count
                    for level in PerformancePathTests.testableLevels() {
                        let dots = KernelDispatch.dots4(xp, xStride: xStride, yp, yStride: yStride, count: first,
                                                        countStep: step, level: level)
                        for r in 0 ..< 4 {
                            let one = KernelDispatch.dot(xp + r * xStride, yp + r * yStride, count: first + r * step,
                                                         level: .baseline)
                            #expect(dots[r].bitPattern == one.bitPattern,
                                    "count \(first) lane \(r) strides \(xStride), \(yStride) \(level.name)")
                        }
                    }
                    // The interleaved loop itself, compiled for whatever this CPU runs
                    // (AVX2 and SSE2 builds call `dot` four times instead).
                    let interleaved = DotKernel.dots4(xp, xStride: xStride, yp, yStride: yStride, count: first,
                                                      countStep: step, interleaved: true, tag: Tag.self)
                    for r in 0 ..< 4 {
                        let one = DotKernel.dot(xp + r * xStride, yp + r * yStride, count: first + r * step,
                                                tag: Tag.self)
                        #expect(interleaved[r].bitPattern == one.bitPattern,
                                "interleaved: count \(first) lane \(r) strides \(xStride), \(yStride)")
                    }
                }
            }
        }
    }
}
