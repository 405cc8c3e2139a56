#if canImport(Glibc)
import Glibc
#endif
import LinRegKernels

/// The prediction kernel: `Y = X·Wᵀ + b`, accumulated in double and rounded
/// once to the output type.
///
/// One pass over X: rows are cut into fixed pieces of ``pieceRows``, computed
/// by `threads` workers (0 = all cores; rows are independent, so results do
/// not depend on the count) with `PredictionKernel`, dispatched at run time to
/// its SSE2, AVX2 or AVX-512 build (same bits). The kernel also reports
/// whether every prediction is finite once rounded to the output type, which
/// is how a NaN or infinity in X, or a prediction beyond the output type's
/// range, is noticed without a separate scan.
///
/// **Untouched on failure.** `linreg_predict_*` promise that Y_out is not
/// modified when they fail (non-finite X: ``EngineError/nonFinite(_:)``; a
/// prediction too large for the output type: ``EngineError/overflow(_:)``).
/// Since the check and the computation are one pass, the output's previous
/// contents are saved, piece by piece just before the piece is written (a
/// copy of n·k elements, at most 64 MiB; one buffer of up to 16 MiB is kept
/// between calls, see ``SavedOutputBuffer``) and restored on failure. Larger
/// outputs take two passes instead: a dry run into piece-sized scratch that
/// only checks, then the real one.
enum Prediction {
    /// Rows per piece of parallel work.
    static let pieceRows = 32_768
    /// Largest output saved for restoring on failure (bytes).
    static let maximumSavedBytes = 64 << 20
    /// Scratch per worker of a dry run (bytes).
    static let dryRunBytes = 1 << 20

    /// Writes `X.rows × outputCount` values to `output` (which must not
    /// overlap X). Throws ``EngineError/nonFinite(_:)`` naming the first
    /// non-finite X entry, ``EngineError/overflow(_:)`` naming the first
    /// prediction beyond the output type's range; `output` is then as it was.
    static func apply<E: TrainingScalar>(
        weights: [Double], intercepts: [Double], featureCount d: Int, outputCount k: Int,
        X: MatrixView<E>, output: UnsafeMutablePointer<E>, threads: Int = 0
    ) throws {
        try apply(weights: weights, intercepts: intercepts, featureCount: d, outputCount: k, X: X,
                  output: output, threads: threads, kernels: nil)
    }

    /// As the public `apply`, with the instruction set forced to at most
    /// `kernels` (nil: the dispatcher's choice) and outputs over
    /// `savedLimit` bytes checked by a dry run (tests lower it).
    static func apply<E: TrainingScalar>(
        weights: [Double], intercepts: [Double], featureCount d: Int, outputCount k: Int,
        X: MatrixView<E>, output: UnsafeMutablePointer<E>, threads: Int, kernels: KernelDispatch.Level?,
        savedLimit: Int = maximumSavedBytes
    ) throws {
        _ = try ConcreteElement(E.self)
        guard X.columns == d, weights.count == k &* d, intercepts.count == k, d >= 1, k >= 1 else {
            throw EngineError.argument("predict: X has \(X.columns) columns for \(d) features, \(weights.count) weights")
        }
        let n = X.rows
        if n <= 0 { return }
        let level = KernelDispatch.level(kernels)
        let ldw = (d &+ 7) & ~7
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: k &* ldw)
        padded.initialize(repeating: 0, count: k &* ldw)
        defer { padded.deallocate() }
        for o in 0..<k {
            for c in 0..<d { padded[o &* ldw &+ c] = weights[o &* d &+ c] }
        }
        let rowBytes = k &* MemoryLayout<E>.stride
        let outputBytes = n &* rowBytes
        // The saved copy comes from malloc, which reports failure (nil)
        // instead of trapping; without it (or for outputs over 64 MiB), a dry
        // run checks everything before the output is touched.
        var saved: UnsafeMutableRawPointer? = nil
        if outputBytes <= savedLimit { saved = SavedOutputBuffer.take(outputBytes) }
        defer { if let saved { SavedOutputBuffer.give(saved, bytes: outputBytes) } }

        try intercepts.withUnsafeBufferPointer { b in
            guard let bp = b.baseAddress else { return }
            let xBase = UnsafeRawPointer(X.base), out = UnsafeMutableRawPointer(output)
            func job(_ rows: Range<Int>, into target: UnsafeMutableRawPointer, base: Int) -> PredictionJob {
                PredictionJob(x: xBase, output: target, features: d, outputs: k, weights: padded, ldw: ldw,
                              intercepts: bp, rowStart: rows.lowerBound, rowEnd: rows.upperBound, outputRowBase: base)
            }
            /// The first row (in order) whose predictions fail the check.
            func firstFailingRow(in rows: Range<Int>, scratch: UnsafeMutableRawPointer) -> Int? {
                for i in rows where !KernelDispatch.predict(job(i ..< i &+ 1, into: scratch, base: i), element: E.self,
                                                            level: level) {
                    return i
                }
                return nil
            }
            func failure(scratch: UnsafeMutableRawPointer, pieces: Int, pieceSize: Int) -> EngineError {
                if let (row, column) = X.firstNonFinite() { return nonFinite(X, row, column) }
                for piece in 0..<pieces {
                    let rows = (piece &* pieceSize) ..< min(n, (piece &+ 1) &* pieceSize)
                    if let row = firstFailingRow(in: rows, scratch: scratch) { return overflow(E.self, row, k) }
                }
                return .internal("predict: a prediction failed its check but no row reproduces it")
            }

            if saved == nil {
                // Dry run: piece-sized scratch per worker, nothing written.
                let pieceSize = max(1, min(pieceRows, dryRunBytes / max(1, rowBytes)))
                let pieces = (n &- 1) / pieceSize &+ 1
                let workers = WorkerThreads.count(requested: threads, pieces: pieces)
                let scratchBytes = pieceSize &* rowBytes
                try MemoryReservation.ensure(bytes: MemoryReservation.product(workers, scratchBytes),
                                             for: "predict: scratch for \(workers) workers")
                let scratch = (0..<workers).map { _ in
                    UnsafeMutableRawPointer.allocate(byteCount: max(1, scratchBytes), alignment: 64)
                }
                defer { for s in scratch { s.deallocate() } }
                let results = UnsafeMutablePointer<Bool>.allocate(capacity: pieces)
                results.initialize(repeating: true, count: pieces)
                defer { results.deallocate() }
                WorkerThreads.forEach(items: pieces, workers: workers) { worker, piece in
                    let start = piece &* pieceSize
                    results[piece] = KernelDispatch.predict(
                        job(start ..< min(n, start &+ pieceSize), into: scratch[worker], base: start),
                        element: E.self, level: level)
                }
                if (0..<pieces).contains(where: { !results[$0] }) {
                    throw failure(scratch: scratch[0], pieces: pieces, pieceSize: pieceSize)
                }
            }

            let pieces = (n &- 1) / pieceRows &+ 1
            let workers = WorkerThreads.count(requested: threads, pieces: pieces)
            let results = UnsafeMutablePointer<Bool>.allocate(capacity: pieces)
            results.initialize(repeating: true, count: pieces)
            defer { results.deallocate() }
            WorkerThreads.forEach(items: pieces, workers: workers) { _, piece in
                let start = piece &* pieceRows
                let end = min(n, start &+ pieceRows)
                // Each piece saves the output it is about to overwrite (the
                // lines are then in cache for the kernel's stores).
                if let saved {
                    (saved + start &* rowBytes).copyMemory(from: out + start &* rowBytes,
                                                           byteCount: (end &- start) &* rowBytes)
                }
                results[piece] = KernelDispatch.predict(job(start ..< end, into: out, base: 0), element: E.self,
                                                        level: level)
            }
            if let saved, (0..<pieces).contains(where: { !results[$0] }) {
                out.copyMemory(from: saved, byteCount: outputBytes)
                let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(1, rowBytes), alignment: 64)
                defer { scratch.deallocate() }
                throw failure(scratch: scratch, pieces: pieces, pieceSize: pieceRows)
            }
        }
    }

    static func nonFinite<E: TrainingScalar>(_ X: MatrixView<E>, _ row: Int, _ column: Int) -> EngineError {
        .nonFinite("X[\(row)][\(column)] is \(X[row, column]) (row \(row), column \(column))")
    }

    static func overflow<E: TrainingScalar>(_: E.Type, _ row: Int, _ outputs: Int) -> EngineError {
        let type = (try? ConcreteElement(E.self))?.name ?? "\(E.self)"
        let which = outputs == 1 ? "" : " (one of its \(outputs) outputs)"
        return .overflow("the prediction for row \(row)\(which) is too large for a \(type): X·Wᵀ + b leaves the \(type) range")
    }
}

/// The buffer prediction saves the caller's output in. One buffer of at most
/// ``keptBytes`` is kept between calls (its pages then stay mapped: a fresh
/// 8 MiB allocation costs two thousand page faults, as much as a fifth of a
/// 2,000,000-row prediction); concurrent calls allocate their own.
enum SavedOutputBuffer {
    /// The largest buffer kept between calls.
    static let keptBytes = 16 << 20

    private final class Cache: @unchecked Sendable {
        #if canImport(Glibc)
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        #endif
        var buffer: UnsafeMutableRawPointer?
        var capacity = 0

        init() {
            #if canImport(Glibc)
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
            #endif
        }

        func lock() {
            #if canImport(Glibc)
            pthread_mutex_lock(mutex)
            #endif
        }

        func unlock() {
            #if canImport(Glibc)
            pthread_mutex_unlock(mutex)
            #endif
        }
    }

    private static let cache = Cache()

    /// A buffer of at least `bytes` bytes, or nil when memory is short.
    static func take(_ bytes: Int) -> UnsafeMutableRawPointer? {
        cache.lock()
        if let buffer = cache.buffer, cache.capacity >= bytes {
            cache.buffer = nil
            cache.unlock()
            return buffer
        }
        cache.unlock()
        return malloc(max(bytes, 1))
    }

    /// Returns a buffer from ``take(_:)`` (asked for `bytes` bytes).
    static func give(_ buffer: UnsafeMutableRawPointer, bytes: Int) {
        cache.lock()
        if bytes <= keptBytes, cache.buffer == nil || cache.capacity < bytes {
            let old = cache.buffer
            cache.buffer = buffer
            cache.capacity = bytes
            cache.unlock()
            free(old)
            return
        }
        cache.unlock()
        free(buffer)
    }
}
