import Testing
@testable import LinReg
@testable import LinRegKernels

/// The residual kernel's register paths (one output, two to four outputs,
/// and one output in the compensated mode) perform the general loop's
/// operations in its order: `ResidualKernel.accumulate` gives the same bits
/// as `ResidualKernel.sumRows` over `plainResiduals` or
/// `compensatedResiduals`, for every shape a register path takes (and for
/// shapes the general loop takes anyway), weighted or not, with or without
/// the gradient, float32 and float64 rows, and an odd row count (the
/// compensated path takes rows two at a time) spanning several blocks.
@Suite struct ResidualKernelPathTests {
    enum Tag: InstructionSetTag {}

    @Test(arguments: [(1, 1), (5, 1), (8, 1), (17, 1), (32, 1), (9, 2), (3, 3), (32, 4), (20, 4), (33, 1), (5, 5)])
    func registerPathsEqualTheGeneralLoop(shape: (Int, Int)) {
        let (d, k) = shape
        let n = 3 * ResidualKernel.blockRows + 41
        let ldw = (d + 7) & ~7
        var rng = SplitMix64(seed: UInt64(d * 31 + k))
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
        let x = (0 ..< (n * d)).map { _ in 3 * uniform() + 1 }
        var beta = [Double](repeating: 0, count: k * ldw)
        var origin = [Double](repeating: 0, count: ldw)
        for c in 0 ..< d { origin[c] = x[c] }
        for o in 0 ..< k { for c in 0 ..< d { beta[o * ldw + c] = uniform() } }
        // y close to the fit, so that the residuals are small against y.
        var y = [Double](repeating: 0, count: n * k)
        for i in 0 ..< n {
            for o in 0 ..< k {
                var v = 0.5 + Double(o)
                for c in 0 ..< d { v += x[i * d + c] * beta[o * ldw + c] }
                y[i * k + o] = v + 1e-6 * uniform()
            }
        }
        let weights = (0 ..< n).map { _ in 1.5 + uniform() }
        let yOrigin = (0 ..< k).map { y[$0] }
        var offset = [Double](repeating: 0, count: k)
        for o in 0 ..< k {
            var shift = 0.5 + Double(o) - yOrigin[o]
            for c in 0 ..< d { shift += origin[c] * beta[o * ldw + c] }
            offset[o] = shift
        }
        let parts = (0 ..< (2 * k)).map { $0 < k ? 0.5 + Double($0) : 0x1p-60 * Double($0) }

        func run<E: KernelScalar>(_ type: E.Type, weighted: Bool, gradient: Bool, compensated: Bool,
                                  general: Bool) -> [Double] {
            let xe = x.map { E(Double($0)) }, ye = y.map { E(Double($0)) }, we = weights.map { E(Double($0)) }
            let slot = ResidualKernel.slotSize(outputs: k, ldw: ldw, gradient: gradient)
            var out = [Double](repeating: 0, count: slot)
            var scratch = [Double](repeating: 0, count: ResidualKernel.scratchSize(outputs: k, ldw: ldw,
                                                                                    gradient: gradient))
            xe.withUnsafeBufferPointer { xb in
                ye.withUnsafeBufferPointer { yb in
                    we.withUnsafeBufferPointer { wb in
                        beta.withUnsafeBufferPointer { bb in
                            origin.withUnsafeBufferPointer { ob in
                                yOrigin.withUnsafeBufferPointer { yob in
                                    offset.withUnsafeBufferPointer { fb in
                                        parts.withUnsafeBufferPointer { pb in
                                            out.withUnsafeMutableBufferPointer { outb in
                                                scratch.withUnsafeMutableBufferPointer { sb in
                                                    let job = ResidualJob(
                                                        x: UnsafeRawPointer(xb.baseAddress!),
                                                        y: UnsafeRawPointer(yb.baseAddress!),
                                                        weights: weighted ? UnsafeRawPointer(wb.baseAddress!) : nil,
                                                        features: d, outputs: k, ldw: ldw, beta: bb.baseAddress!,
                                                        origin: ob.baseAddress!, yOrigin: yob.baseAddress!,
                                                        offset: fb.baseAddress!, rowStart: 0, rowEnd: n,
                                                        gradient: gradient,
                                                        interceptParts: compensated ? pb.baseAddress! : nil,
                                                        out: outb.baseAddress!, scratch: sb.baseAddress!)
                                                    if !general {
                                                        ResidualKernel.accumulate(job, element: E.self, tag: Tag.self)
                                                    } else if compensated {
                                                        ResidualKernel.sumRows(job, element: E.self) { i, c, r in
                                                            ResidualKernel.compensatedResiduals(
                                                                job, row: i, centred: c, into: r, element: E.self)
                                                        }
                                                    } else {
                                                        ResidualKernel.sumRows(job, element: E.self) { i, c, r in
                                                            ResidualKernel.plainResiduals(
                                                                job, row: i, centred: c, into: r, element: E.self)
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return out
        }

        for weighted in [false, true] {
            for gradient in [false, true] {
                for compensated in [false, true] {
                    for float in [false, true] {
                        let what = "d \(d) k \(k) weighted \(weighted) gradient \(gradient) "
                            + "compensated \(compensated) \(float ? "Float" : "Double")"
                        let path = float
                            ? run(Float.self, weighted: weighted, gradient: gradient, compensated: compensated,
                                  general: false)
                            : run(Double.self, weighted: weighted, gradient: gradient, compensated: compensated,
                                  general: false)
                        let loop = float
                            ? run(Float.self, weighted: weighted, gradient: gradient, compensated: compensated,
                                  general: true)
                            : run(Double.self, weighted: weighted, gradient: gradient, compensated: compensated,
                                  general: true)
                        #expect(path == loop, "\(what): the register path differs from the general loop")
                        #expect(path.contains { $0 != 0 }, "\(what): nothing summed")
                    }
                }
            }
        }
    }
}
