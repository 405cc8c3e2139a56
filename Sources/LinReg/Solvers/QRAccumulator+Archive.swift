/// The accumulator's bytes in the model format (section 5 of
/// docs/FORMAT.md): everything needed to continue a streaming fit or merge
/// after a save and load, bit for bit.
///
///     n_features d       i64
///     n_outputs k        i64
///     intercept          u8, 0 or 1
///     rows n             i64 ≥ 0 (zero-weight rows included)
///     Σ log wᵢ           f64 hi, f64 lo
///     column exponents   m × (u8 present, i64 exponent); m = d + intercept + k
///     R                  upper triangle, row by row: for i < m, for j ≥ i: f64 hi, f64 lo
///
/// The row block size is not stored: it is a function of m alone.
extension QRAccumulator {
    /// Bounds of a stored column exponent. Data give −1611 … 1535 (the
    /// exponent of √w·x for finite weights and values); the margin is slack.
    static let archivedExponentRange = -2000 ... 2000
    /// Bound of a stored entry of the scaled R: scaled values are below 4 in
    /// magnitude, so |Rᵢⱼ| ≤ 4·√n < 2³⁴ for any row count n that fits an Int.
    static let archivedEntryBound = 0x1p64

    /// Why the stored entry R[i][j] = hi + lo would be refused by
    /// ``decodeArchive(_:features:outputs:)``, or nil when it is acceptable.
    /// The one rule for both directions: a fit checks its factor with it
    /// before committing (``archiveProblem()``), so a model that was fitted
    /// can always be saved and loaded back.
    static func archivedEntryProblem(hi: Double, lo: Double, row i: Int, column j: Int, columnHasData: Bool) -> String? {
        guard hi.isFinite, lo.isFinite, hi.magnitude <= archivedEntryBound, lo.magnitude <= hi.magnitude else {
            return "R[\(i)][\(j)] = (\(hi), \(lo)) is not a finite double-double below 2^64"
        }
        if !columnHasData && hi != 0 {
            return "R[\(i)][\(j)] = \(hi) is non-zero in column \(j), which has seen only zeros"
        }
        return nil
    }

    /// Why this accumulator could not be stored and read back (the first
    /// offending value), or nil when it can: the checks of
    /// ``decodeArchive(_:features:outputs:)``, applied to the live state.
    func archiveProblem() -> String? {
        guard logWeightSum.hi.isFinite, logWeightSum.lo.isFinite else {
            return "the sum of log weights (\(logWeightSum.hi), \(logWeightSum.lo)) is not finite"
        }
        for (c, exponent) in columnExponents.enumerated() {
            if let exponent, !QRAccumulator.archivedExponentRange.contains(exponent) {
                return "column \(c) exponent \(exponent) is out of range"
            }
        }
        let m = columnCount
        for i in 0 ..< m {
            for j in i ..< m {
                let index = i &* m &+ j
                if let problem = QRAccumulator.archivedEntryProblem(hi: r.hi[index], lo: r.lo[index], row: i, column: j,
                                                                    columnHasData: columnExponents[j] != nil) {
                    return problem
                }
            }
        }
        return nil
    }

    /// Appends the section payload.
    func encodeArchive(into w: inout ByteWriter) {
        let m = columnCount
        w.i64(features)
        w.i64(outputs)
        w.u8(fitIntercept ? 1 : 0)
        w.i64(rowCount)
        w.f64(logWeightSum.hi)
        w.f64(logWeightSum.lo)
        for exponent in columnExponents {
            if let exponent {
                w.u8(1)
                w.i64(exponent)
            } else {
                w.u8(0)
                w.i64(0)
            }
        }
        for i in 0 ..< m {
            for j in i ..< m {
                let index = i &* m &+ j
                w.f64(r.hi[index])
                w.f64(r.lo[index])
            }
        }
    }

    /// The accumulator stored in `bytes` (one section payload) for a model
    /// of `features` inputs and `outputs` outputs. Any inconsistency is
    /// ``EngineError/format(_:)``; a factor too large for this machine is
    /// ``EngineError/noMemory(_:)``.
    static func decodeArchive(_ bytes: UnsafeRawBufferPointer, features: Int, outputs: Int) throws -> QRAccumulator {
        var reader = ByteReader(bytes, context: "exact-accumulator section")
        let d = try reader.count("accumulator n_features", in: 0 ... Int.max)
        let k = try reader.count("accumulator n_outputs", in: 0 ... Int.max)
        guard d == features, k == outputs else {
            throw EngineError.format(
                "exact-accumulator section is for n_features = \(d), n_outputs = \(k); the model has \(features), \(outputs)")
        }
        let interceptFlag = try reader.u8("accumulator intercept flag")
        guard interceptFlag <= 1 else { throw EngineError.format("accumulator intercept flag is \(interceptFlag), not 0 or 1") }
        let intercept = interceptFlag == 1
        let rows = try reader.count("accumulator row count", in: 0 ... Int.max)
        let logHi = try reader.f64("accumulator sum of log weights")
        let logLo = try reader.f64("accumulator sum of log weights (low part)")
        guard logHi.isFinite, logLo.isFinite, logLo.magnitude <= logHi.magnitude else {
            throw EngineError.format("accumulator sum of log weights (\(logHi), \(logLo)) is not a finite double-double")
        }

        // m and the exact payload size, before anything is allocated.
        let (p, o1) = d.addingReportingOverflow(intercept ? 1 : 0)
        let (m, o2) = p.addingReportingOverflow(k)
        guard !o1, !o2, let triangle = MemoryReservation.product(m, m &+ 1).map({ $0 / 2 }),
              let triangleBytes = MemoryReservation.product(triangle, 16),
              let exponentBytes = MemoryReservation.product(m, 9),
              triangleBytes <= Int.max - exponentBytes,
              triangleBytes + exponentBytes == reader.remaining else {
            throw EngineError.format(
                "exact-accumulator section has \(reader.remaining) bytes after its header; m = \(d) + \(intercept ? 1 : 0) + \(k) columns need \(m) exponents and an m x m triangle")
        }

        var exponents = [Int?]()
        exponents.reserveCapacity(m)
        for c in 0 ..< m {
            let present = try reader.u8("column \(c) exponent flag")
            let raw = Int64(bitPattern: try reader.u64("column \(c) exponent"))
            switch present {
            case 0:
                guard raw == 0 else { throw EngineError.format("column \(c) has no exponent but stores \(raw)") }
                exponents.append(nil)
            case 1:
                guard raw >= Int64(archivedExponentRange.lowerBound), raw <= Int64(archivedExponentRange.upperBound) else {
                    throw EngineError.format(
                        "column \(c) exponent \(raw) is out of range \(archivedExponentRange.lowerBound)...\(archivedExponentRange.upperBound)")
                }
                exponents.append(Int(raw))
            default:
                throw EngineError.format("column \(c) exponent flag is \(present), not 0 or 1")
            }
        }

        var accumulator = try QRAccumulator(features: d, outputs: k, fitIntercept: intercept)
        var factor = DoubleDoubleMatrix(rows: m, columns: m)
        for i in 0 ..< m {
            for j in i ..< m {
                let hi = try reader.f64("R[\(i)][\(j)]")
                let lo = try reader.f64("R[\(i)][\(j)] (low part)")
                if let problem = archivedEntryProblem(hi: hi, lo: lo, row: i, column: j,
                                                      columnHasData: exponents[j] != nil) {
                    throw EngineError.format(problem)
                }
                let index = i &* m &+ j
                factor.hi[index] = hi
                factor.lo[index] = lo
            }
        }
        try reader.expectEnd()
        accumulator.rowCount = rows
        accumulator.logWeightSum = DoubleDouble(logHi, logLo)
        accumulator.columnExponents = exponents
        accumulator.r = factor
        return accumulator
    }
}
