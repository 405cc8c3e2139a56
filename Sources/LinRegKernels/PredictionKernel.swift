/// The prediction kernel: `out[i][o] = b[o] + Σ_c x[i][c]·W[o][c]`,
/// accumulated in double and rounded once to the output type.
///
/// **Fixed order.** The sum over c is always taken the same way: eight
/// partial sums (lane l collects the columns c ≡ l mod 8, in increasing c),
/// then combined as ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)) — the halving
/// tree of the lanes — then added to b[o]. Every instruction set runs this
/// exact sequence of IEEE operations (narrower machines split the eight
/// lanes into several registers), so predictions are bit-identical whatever
/// the kernel dispatched, and rows are independent, so they do not depend on
/// the thread count either.
public enum PredictionKernel {
    /// Predicts rows `job.rowStart ..< job.rowEnd` (row i written at
    /// `output + (i − job.outputRowBase)·k`). Returns false when some
    /// prediction, rounded to the element type, is not finite (a NaN or
    /// infinity in X, or a value beyond the type's range).
    @inlinable @inline(__always)
    public static func predict<E: KernelScalar, I: InstructionSetTag>(_ job: PredictionJob, element _: E.Type,
                                                                     tag _: I.Type) -> Bool {
        let d = job.features, k = job.outputs, ldw = job.ldw
        let x = job.x.assumingMemoryBound(to: E.self)
        let out = job.output.assumingMemoryBound(to: E.self) - job.outputRowBase &* k
        let weights = job.weights, intercepts = job.intercepts
        let full = d & ~7
        let rest = d &- full
        var check = SIMD4<Double>()
        var i = job.rowStart
        // Four rows at a time (the same operations per row as one at a time).
        while i &+ 4 <= job.rowEnd {
            let r0 = x + i &* d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d
            var o = 0
            while o < k {
                let wRow = weights + o &* ldw
                var a0 = SIMD8<Double>(), a1 = SIMD8<Double>(), a2 = SIMD8<Double>(), a3 = SIMD8<Double>()
                var c = 0
                while c < full {
                    let wv = load8(wRow + c)
                    a0 = a0 + E.load8(r0 + c) * wv
                    a1 = a1 + E.load8(r1 + c) * wv
                    a2 = a2 + E.load8(r2 + c) * wv
                    a3 = a3 + E.load8(r3 + c) * wv
                    c &+= 8
                }
                if rest > 0 {
                    let wv = load8(wRow + full)
                    a0 = a0 + E.loadPartial(r0 + full, count: rest) * wv
                    a1 = a1 + E.loadPartial(r1 + full, count: rest) * wv
                    a2 = a2 + E.loadPartial(r2 + full, count: rest) * wv
                    a3 = a3 + E.loadPartial(r3 + full, count: rest) * wv
                }
                let h0 = a0.lowHalf + a0.highHalf, h1 = a1.lowHalf + a1.highHalf
                let h2 = a2.lowHalf + a2.highHalf, h3 = a3.lowHalf + a3.highHalf
                let q01 = SIMD4<Double>(lowHalf: h0.lowHalf + h0.highHalf, highHalf: h1.lowHalf + h1.highHalf)
                let q23 = SIMD4<Double>(lowHalf: h2.lowHalf + h2.highHalf, highHalf: h3.lowHalf + h3.highHalf)
                let sums = SIMD4<Double>(q01[0], q01[2], q23[0], q23[2]) + SIMD4<Double>(q01[1], q01[3], q23[1], q23[3])
                let values = E.rounded4(SIMD4<Double>(repeating: intercepts[o]) + sums)
                check = check + (values - values)
                let target = out + (i &* k &+ o)
                if k == 1 {
                    E.store4(values, to: target)
                } else {
                    target[0] = E.narrow(values[0])
                    target[k] = E.narrow(values[1])
                    target[2 &* k] = E.narrow(values[2])
                    target[3 &* k] = E.narrow(values[3])
                }
                o &+= 1
            }
            i &+= 4
        }
        var tail = 0.0
        while i < job.rowEnd {
            let row = x + i &* d
            let target = out + i &* k
            var o = 0
            while o < k {
                let wRow = weights + o &* ldw
                var acc = SIMD8<Double>()
                var c = 0
                while c < full {
                    acc = acc + E.load8(row + c) * load8(wRow + c)
                    c &+= 8
                }
                if rest > 0 {
                    acc = acc + E.loadPartial(row + full, count: rest) * load8(wRow + full)
                }
                let value = E.narrow(intercepts[o] + laneSum(acc))
                let widened = E.widen(value)
                tail = tail + (widened - widened)
                target[o] = value
                o &+= 1
            }
            i &+= 1
        }
        return check == SIMD4<Double>() && tail == 0
    }
}

/// What ``PredictionKernel/predict(_:element:tag:)`` reads and writes.
public struct PredictionJob {
    /// X, n × d row-major, of the element type.
    public var x: UnsafeRawPointer
    /// The output, n × k row-major, of the element type.
    public var output: UnsafeMutableRawPointer
    public var features: Int
    public var outputs: Int
    /// W, k rows of `ldw` doubles (d weights, then zeros).
    public var weights: UnsafePointer<Double>
    /// d rounded up to a multiple of 8.
    public var ldw: Int
    /// b, k values.
    public var intercepts: UnsafePointer<Double>
    public var rowStart: Int
    public var rowEnd: Int
    /// The row whose predictions go to `output` itself (0 normally; the
    /// first row of a piece when `output` is a piece-sized scratch buffer).
    public var outputRowBase: Int

    @inlinable
    public init(x: UnsafeRawPointer, output: UnsafeMutableRawPointer, features: Int, outputs: Int,
                weights: UnsafePointer<Double>, ldw: Int, intercepts: UnsafePointer<Double>,
                rowStart: Int, rowEnd: Int, outputRowBase: Int = 0) {
        self.x = x
        self.output = output
        self.features = features
        self.outputs = outputs
        self.weights = weights
        self.ldw = ldw
        self.intercepts = intercepts
        self.rowStart = rowStart
        self.rowEnd = rowEnd
        self.outputRowBase = outputRowBase
    }
}
