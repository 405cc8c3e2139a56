import LinRegKernels

/// A pass over the data that computes the residuals of given coefficients
/// and sums them: their co-moments Σ wᵢ rᵢ rᵢᵀ (k × k), and, for iterative
/// refinement, their sums Σ wᵢ rᵢ (k) and the gradient Σ wᵢ (xᵢ − o) rᵢᵀ
/// (k × d, about the column origins o).
///
/// Used by the normal-equations path for nearly exact fits (the residual
/// block of the factor) and by the refined normal-equations path
/// (ExactSolver+Refinement.swift: corrections of the coefficients).
///
/// When Y is almost a linear function of X, the residual block of the
/// one-pass factor (Syy − cᵀc) would lose its digits to cancellation; the
/// residuals' own sums of squares have no such cancellation. Each residual is
/// computed about the columns' origins (rᵢₒ = (yᵢₒ − o_yₒ) − Σ_c (xᵢc − o_c)·βₒc − b′ₒ,
/// b′ₒ = bₒ + Σ_c o_c βₒc − o_yₒ in double-double), so its rounding is
/// ε times the data's spread, not their offsets.
///
/// Rows are cut into fixed chunks of ``chunkRows`` summed by `threads`
/// workers into one slot each and added in chunk order: the same bits for
/// every thread count. Memory: k² doubles per chunk of a round.
enum ResidualMoments {
    static let chunkRows = 16_384

    /// What one pass returns.
    struct Sums {
        /// Σ wᵢ rᵢ rᵢᵀ, k × k, symmetric, row-major.
        var gram: [Double]
        /// Σ wᵢ rᵢ, k (zeros unless the gradient was asked for).
        var sum: [Double]
        /// Σ wᵢ (xᵢ − o) rᵢₒ, k × d (row o for output o; empty unless asked for).
        var gradient: [Double]
    }

    /// Σ wᵢ rᵢ rᵢᵀ of the residuals rᵢ = yᵢ − b − Wxᵢ (weights k × d).
    static func gram<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, weights: [Double],
        intercepts: [DoubleDouble], origins: [Double], threads: Int
    ) throws -> [Double] {
        try sums(X: X, Y: Y, sampleWeight: sampleWeight, weights: weights, intercepts: intercepts, origins: origins,
                 threads: threads, gradient: false).gram
    }

    /// The residual sums of one pass; with `gradient`, also Σ w r and the
    /// gradient about the origins. With `compensated`, each residual is
    /// correctly rounded (about ε² of its terms instead of ε of their
    /// spread: the kernel's compensated mode, for nearly exact fits; about
    /// five times the arithmetic). `kernels` caps the instruction set (nil:
    /// the dispatcher's choice; every level gives the same bits).
    static func sums<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, weights: [Double],
        intercepts: [DoubleDouble], origins: [Double], threads: Int, gradient: Bool, compensated: Bool = false,
        kernels: KernelDispatch.Level? = nil
    ) throws -> Sums {
        try Residuals(weights: weights, intercepts: intercepts, origins: origins, threads: threads, gradient: gradient,
                      compensated: compensated, level: KernelDispatch.level(kernels))
            .specialized(X, Y, sampleWeight)
    }

    /// The pass, run specialised (see ConcreteElement.swift).
    private struct Residuals: SpecializedJob {
        let weights: [Double], intercepts: [DoubleDouble], origins: [Double], threads: Int, gradient: Bool
        let compensated: Bool
        let level: KernelDispatch.Level
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) -> Sums {
            ResidualMoments.run(X, Y, sampleWeight, weights, intercepts, origins, threads, gradient, compensated, level)
        }
    }

    fileprivate static func run<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ weights: [Double],
        _ intercepts: [DoubleDouble], _ origins: [Double], _ threads: Int, _ gradient: Bool, _ compensated: Bool,
        _ level: KernelDispatch.Level
    ) -> Sums {
        let n = X.rows, d = X.columns, k = Y.columns
        let ldw = (d &+ 7) & ~7
        // The kernel's operands: β and the X origins zero padded to ldw, and
        // b′ₒ = bₒ + Σ_c o_c βₒc − o_yₒ in double-double.
        var beta = [Double](repeating: 0, count: max(1, k &* ldw))
        var xOrigin = [Double](repeating: 0, count: max(1, ldw))
        var yOrigin = [Double](repeating: 0, count: k)
        var shifted = [Double](repeating: 0, count: k)
        for c in 0 ..< d { xOrigin[c] = origins[c] }
        for o in 0 ..< k {
            yOrigin[o] = origins[d &+ o]
            var sum = intercepts[o]
            for c in 0 ..< d {
                beta[o &* ldw &+ c] = weights[o &* d &+ c]
                sum += DoubleDouble(origins[c]) * weights[o &* d &+ c]
            }
            sum -= DoubleDouble(origins[d &+ o])
            shifted[o] = sum.value
        }
        // The compensated mode's intercepts: high parts, then low parts.
        var parts = [Double](repeating: 0, count: max(1, 2 &* k))
        for o in 0 ..< k {
            parts[o] = intercepts[o].hi
            parts[k &+ o] = intercepts[o].lo
        }
        let slot = ResidualKernel.slotSize(outputs: k, ldw: ldw, gradient: gradient)
        let chunks = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        let slots = min(chunks, 256)
        let workers = WorkerThreads.count(requested: threads, pieces: max(1, min(slots, chunks)))
        let scratchSize = ResidualKernel.scratchSize(outputs: k, ldw: ldw, gradient: gradient)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(1, workers &* scratchSize))
        defer { scratch.deallocate() }
        var total = [Double](repeating: 0, count: slot)
        let x = d > 0 ? UnsafeRawPointer(X.base) : nil
        let y = UnsafeRawPointer(Y.base)
        let w = sampleWeight.map { UnsafeRawPointer($0.base) }
        var first = 0
        while first < chunks {
            let round = min(slots, chunks &- first)
            var sums = [Double](repeating: 0, count: round &* slot)
            let roundStart = first
            sums.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                beta.withUnsafeBufferPointer { bb in
                    xOrigin.withUnsafeBufferPointer { ob in
                        yOrigin.withUnsafeBufferPointer { yb in
                            shifted.withUnsafeBufferPointer { sb in
                              parts.withUnsafeBufferPointer { pb in
                                guard let betaPointer = bb.baseAddress, let originPointer = ob.baseAddress,
                                      let yOriginPointer = yb.baseAddress, let offsetPointer = sb.baseAddress,
                                      let partsPointer = pb.baseAddress
                                else { return }
                                WorkerThreads.forEach(items: round, workers: workers) { worker, item in
                                    let chunk = roundStart &+ item
                                    let job = ResidualJob(
                                        x: x, y: y, weights: w, features: d, outputs: k, ldw: ldw,
                                        beta: betaPointer, origin: originPointer, yOrigin: yOriginPointer,
                                        offset: offsetPointer, rowStart: chunk &* chunkRows,
                                        rowEnd: min(n, (chunk &+ 1) &* chunkRows), gradient: gradient,
                                        interceptParts: compensated ? partsPointer : nil,
                                        out: base + item &* slot, scratch: scratch + worker &* scratchSize)
                                    KernelDispatch.residuals(job, element: E.self, level: level)
                                }
                              }
                            }
                        }
                    }
                }
            }
            // Chunk order: the same bits for every thread count.
            for item in 0 ..< round {
                for i in 0 ..< slot { total[i] += sums[item &* slot &+ i] }
            }
            first &+= round
        }
        var gram = Array(total[0 ..< (k &* k)])
        for a in 0 ..< k {
            for b in 0 ..< a { gram[a &* k &+ b] = gram[b &* k &+ a] }
        }
        if !gradient { return Sums(gram: gram, sum: [Double](repeating: 0, count: k), gradient: []) }
        var gradientSums = [Double](repeating: 0, count: k &* d)
        for o in 0 ..< k {
            for c in 0 ..< d { gradientSums[o &* d &+ c] = total[k &* k &+ k &+ o &* ldw &+ c] }
        }
        return Sums(gram: gram, sum: Array(total[(k &* k) ..< (k &* k &+ k)]), gradient: gradientSums)
    }
}
