/// The binary model format (docs/FORMAT.md): a versioned, little-endian,
/// checksummed container of sections.
///
///     header   magic (8 bytes: 89 4C 4E 52 47 0D 0A 1A), u32 format version,
///              u32 flags (0), u64 body length
///     body     sections: u32 tag, u64 length, payload
///     trailer  u32 CRC-32 (IEEE) of header and body
///
/// Decoding trusts nothing: every length is checked against the bytes that
/// are actually there, every parameter goes through the same validation as
/// `linreg_set_param`, and any inconsistency is `EngineError.format`.
public enum ModelArchive {
    static let magic: [UInt8] = [0x89, 0x4C, 0x4E, 0x52, 0x47, 0x0D, 0x0A, 0x1A]
    /// The format version this library writes.
    public static let formatVersion: UInt32 = 3
    /// The versions this library reads: 1 (no names section), 2 and 3 (the covariance-pass section).
    public static let readableVersions: ClosedRange<UInt32> = 1...3
    static let headerSize = 24
    /// Largest n_features or n_outputs a file may declare.
    static let maxDimension = 1 << 31

    enum Tag: UInt32 {
        case model = 1, parameters = 2, lossHistory = 3, exactFit = 4, accumulator = 5, names = 6, covariance = 7

        /// The first format version with this section.
        var since: UInt32 { self == .covariance ? 3 : (self == .names ? 2 : 1) }
    }

    // MARK: Encoding

    /// The model's bytes.
    static func encode(_ model: LinearModel) -> [UInt8] {
        var body = ByteWriter()
        section(.model, into: &body) { w in
            w.i64(model.featureCount)
            w.i64(model.outputCount)
            w.u8(model.isFitted ? 1 : 0)
            w.f64s(model.weights)
            w.f64s(model.intercepts)
        }
        section(.parameters, into: &body) { w in
            w.u64(UInt64(Parameter.allCases.count))
            for key in Parameter.allCases {
                w.u32(UInt32(key.rawValue))
                w.f64(model.hyperparameters.value(of: key))
            }
        }
        section(.lossHistory, into: &body) { w in
            w.u64(UInt64(model.lossHistory.count))
            w.f64s(model.lossHistory)
        }
        if let fit = model.exactFit {
            // The intercept setting of the fit itself (fit_intercept may have changed since).
            let fitIntercept = model.accumulator?.fitIntercept ?? model.hyperparameters.fitIntercept
            section(.exactFit, into: &body) { w in encode(fit, fitIntercept: fitIntercept, into: &w) }
        }
        if let accumulator = model.accumulator {
            section(.accumulator, into: &body) { w in accumulator.encodeArchive(into: &w) }
        }
        if model.featureNames != nil || model.targetNames != nil {
            section(.names, into: &body) { w in
                encodeNames(model.featureNames, into: &w)
                encodeNames(model.targetNames, into: &w)
            }
        }
        if let meat = model.covarianceMeat {
            section(.covariance, into: &body) { w in encode(meat, into: &w) }
        }
        var out = ByteWriter()
        out.raw(magic)
        out.u32(formatVersion)
        out.u32(0)
        out.u64(UInt64(body.bytes.count))
        out.raw(body.bytes)
        let crc = out.bytes.withUnsafeBytes { CRC32.checksum($0) }
        out.u32(crc)
        return out.bytes
    }

    /// The model's bytes, checked by decoding them again: what ``decode(_:)``
    /// would refuse is never written. A model that fails the check is a bug
    /// (fits check their state before committing it), reported as
    /// ``EngineError/internal(_:)``.
    public static func encodeVerified(_ model: LinearModel) throws -> [UInt8] {
        let bytes = encode(model)
        do {
            _ = try bytes.withUnsafeBytes { try decode($0) }
        } catch let error as EngineError {
            throw EngineError.internal("the model cannot be stored: it would not load back (\(error.message))")
        }
        return bytes
    }

    private static func section(_ tag: Tag, into body: inout ByteWriter, _ write: (inout ByteWriter) -> Void) {
        var payload = ByteWriter()
        write(&payload)
        body.u32(tag.rawValue)
        body.u64(UInt64(payload.bytes.count))
        body.raw(payload.bytes)
    }

    /// `u64` count (0: no names), then count × (`u32` byte length, UTF-8 bytes).
    private static func encodeNames(_ names: [String]?, into w: inout ByteWriter) {
        guard let names else { w.u64(0); return }
        w.u64(UInt64(names.count))
        for name in names {
            w.u32(UInt32(name.utf8.count))
            w.raw(Array(name.utf8))
        }
    }

    private static func encode(_ fit: LeastSquaresFit, fitIntercept: Bool, into w: inout ByteWriter) {
        w.u8(fitIntercept ? 1 : 0)
        w.u64(UInt64(fit.weights.count)); w.f64s(fit.weights)
        w.u64(UInt64(fit.intercepts.count)); w.f64s(fit.intercepts)
        w.i64(fit.rank)
        w.i64(fit.centeredRank)
        w.u64(UInt64(fit.singularValues.count)); w.f64s(fit.singularValues)
        w.f64(fit.conditionNumber)
        if let covariance = fit.unscaledCovariance {
            w.u8(1); w.u64(UInt64(covariance.count)); w.f64s(covariance)
        } else {
            w.u8(0)
        }
        w.u64(UInt64(fit.residualSumOfSquares.count)); w.f64s(fit.residualSumOfSquares)
        w.u64(UInt64(fit.totalSumOfSquares.count)); w.f64s(fit.totalSumOfSquares)
        w.i64(fit.observationCount)
        w.f64(fit.sumLogWeights)
    }

    // MARK: Decoding

    /// The model stored in `bytes`, or `EngineError.format`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> LinearModel {
        guard bytes.count >= headerSize + 4 else {
            throw EngineError.format("model data is \(bytes.count) bytes, shorter than the smallest model (\(headerSize + 4))")
        }
        var header = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<headerSize]), context: "model header")
        guard Array(try header.take(8, "magic")) == magic else {
            throw EngineError.format("not a liblinreg model (bad magic bytes)")
        }
        let version = try header.u32("format version")
        guard readableVersions.contains(version) else {
            throw EngineError.format("model format version \(version) is not supported (this library reads versions \(readableVersions.lowerBound) to \(readableVersions.upperBound))")
        }
        guard try header.u32("flags") == 0 else { throw EngineError.format("model header flags are not 0") }
        let bodyLength = try header.u64("body length")
        guard bodyLength == UInt64(bytes.count - headerSize - 4) else {
            throw EngineError.format("model body length \(bodyLength) does not match the \(bytes.count) bytes given (truncated or padded)")
        }
        let stored = try { () throws -> UInt32 in
            var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - 4)...]), context: "model trailer")
            return try trailer.u32("checksum")
        }()
        let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)]))
        guard stored == computed else {
            throw EngineError.format("model checksum mismatch (stored \(hex(stored)), computed \(hex(computed))): the data is corrupted")
        }
        var body = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[headerSize..<(bytes.count - 4)]), context: "model body")
        var model = try decodeModelSection(try nextSection(&body, expecting: .model))
        try decodeParameters(try nextSection(&body, expecting: .parameters), into: &model)
        var history = ByteReader(try nextSection(&body, expecting: .lossHistory), context: "loss history")
        let historyCount = try history.count("loss history length", in: 0...Int.max)
        model.lossHistory = try history.f64s(historyCount, "loss history")
        try history.expectEnd()
        // Optional sections, each at most once, in increasing tag order.
        var previous = Tag.lossHistory.rawValue
        var fitIntercept: Bool?
        while body.remaining > 0 {
            let (tag, payload) = try nextOptionalSection(&body, after: previous)
            previous = tag.rawValue
            guard tag.since <= version else {
                throw EngineError.format("section \(tag) (tag \(tag.rawValue)) is not part of format version \(version)")
            }
            switch tag {
            case .exactFit:
                let (fit, intercept) = try decodeFit(payload, model: model)
                model.exactFit = fit
                fitIntercept = intercept
                if model.hyperparameters.alpha == 0, fit.unscaledCovariance != nil {
                    model.statistics = RegressionStatistics(fit: fit, nFeatures: model.featureCount,
                                                            nOutputs: model.outputCount, fitIntercept: intercept)
                }
            case .accumulator:
                let accumulator = try QRAccumulator.decodeArchive(payload, features: model.featureCount,
                                                                  outputs: model.outputCount)
                if let fit = model.exactFit, fit.observationCount != accumulator.rowCount {
                    throw EngineError.format(
                        "exact-accumulator section has \(accumulator.rowCount) rows but the exact fit has \(fit.observationCount)")
                }
                if let fitIntercept, fitIntercept != accumulator.fitIntercept {
                    throw EngineError.format("exact-accumulator and exact-fit sections disagree on the intercept")
                }
                model.accumulator = accumulator
            case .names:
                var r = ByteReader(payload, context: "names section")
                let features = try decodeNames(&r, expected: model.featureCount, role: "feature")
                let targets = try decodeNames(&r, expected: model.outputCount, role: "target")
                try r.expectEnd()
                guard features != nil || targets != nil else {
                    throw EngineError.format("names section holds no names (it is written only when there are some)")
                }
                model.featureNames = features
                model.targetNames = targets
            case .covariance:
                model.covarianceMeat = try decodeCovariance(payload, model: model, fitIntercept: fitIntercept)
            case .model, .parameters, .lossHistory:
                throw EngineError.internal("required section \(tag) read as optional")
            }
        }
        try body.expectEnd()
        // Without the accumulator, the writer records the fit's intercept as
        // the FIT_INTERCEPT parameter: bytes where they differ were not
        // written by this library (and could not be written back).
        if model.accumulator == nil, let fitIntercept, fitIntercept != model.hyperparameters.fitIntercept {
            throw EngineError.format("exact-fit section's intercept flag disagrees with FIT_INTERCEPT and no accumulator section says which is right")
        }
        return model
    }

    private static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }

    private static func nextSection(_ body: inout ByteReader, expecting tag: Tag) throws -> UnsafeRawBufferPointer {
        let found = try body.u32("section tag")
        guard found == tag.rawValue else {
            throw EngineError.format("expected section \(tag) (tag \(tag.rawValue)), found tag \(found)")
        }
        let length = try body.u64("section length")
        guard length <= UInt64(body.remaining) else {
            throw EngineError.format("section \(tag) claims \(length) bytes, only \(body.remaining) remain")
        }
        return try body.take(Int(length), "section \(tag)")
    }

    /// The next optional section, whose tag must be known and greater than `previous`.
    private static func nextOptionalSection(_ body: inout ByteReader, after previous: UInt32) throws
        -> (Tag, UnsafeRawBufferPointer) {
        let found = try body.u32("section tag")
        guard let tag = Tag(rawValue: found), found > Tag.lossHistory.rawValue else {
            throw EngineError.format("unknown section tag \(found) after the required sections")
        }
        guard found > previous else {
            throw EngineError.format("section \(tag) (tag \(found)) is repeated or out of order")
        }
        let length = try body.u64("section length")
        guard length <= UInt64(body.remaining) else {
            throw EngineError.format("section \(tag) claims \(length) bytes, only \(body.remaining) remain")
        }
        return (tag, try body.take(Int(length), "section \(tag)"))
    }

    /// One list of names: nil for count 0, else exactly `expected` names.
    /// The count is checked against the bytes left (each name takes at least
    /// 4) before anything is allocated, and each length before it is read.
    private static func decodeNames(_ r: inout ByteReader, expected: Int, role: String) throws -> [String]? {
        let count = try r.count("\(role) name count", in: 0...maxDimension)
        guard count != 0 else { return nil }
        guard count == expected else {
            throw EngineError.format("names section has \(count) \(role) names; the model has \(expected) \(role)s")
        }
        guard count <= r.remaining / 4 else {
            throw EngineError.format("names section: \(count) \(role) names cannot fit in the \(r.remaining) bytes left")
        }
        try MemoryReservation.ensure(bytes: MemoryReservation.bytes(count: count, stride: MemoryLayout<String>.stride),
                                     for: "\(count) \(role) names")
        var names: [String] = []
        names.reserveCapacity(count)
        for index in 0..<count {
            let length = Int(try r.u32("\(role) name \(index) length"))
            guard length <= ModelNames.maxBytes else {
                throw EngineError.format("\(role) name \(index) is \(length) bytes long, more than the \(ModelNames.maxBytes) allowed")
            }
            let bytes = try r.take(length, "\(role) name \(index)")
            switch ModelNames.name(fromUTF8: bytes) {
            case .success(let name): names.append(name)
            case .failure(let problem): throw EngineError.format("\(role) name \(index) \(problem.message)")
            }
        }
        return names
    }

    private static func decodeModelSection(_ bytes: UnsafeRawBufferPointer) throws -> LinearModel {
        var r = ByteReader(bytes, context: "model section")
        let d = try r.count("n_features", in: 1...maxDimension)
        let k = try r.count("n_outputs", in: 1...maxDimension)
        let fitted = try r.u8("fitted flag")
        guard fitted <= 1 else { throw EngineError.format("fitted flag is \(fitted), not 0 or 1") }
        guard let count = MemoryReservation.product(d, k), let needed = MemoryReservation.product(count + k, 8),
              needed == r.remaining else {
            throw EngineError.format("model section size does not match n_features = \(d), n_outputs = \(k)")
        }
        var model = try LinearModel(featureCount: d, outputCount: k)
        let weights = try r.f64s(count, "weights")
        let intercepts = try r.f64s(k, "intercepts")
        guard weights.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite) else {
            throw EngineError.format("stored weights are not all finite")
        }
        model.weights = weights
        model.intercepts = intercepts
        model.isFitted = fitted == 1
        return model
    }

    private static func decodeParameters(_ bytes: UnsafeRawBufferPointer, into model: inout LinearModel) throws {
        var r = ByteReader(bytes, context: "parameters section")
        let count = try r.count("parameter count", in: 0...1024)
        var parameters = Hyperparameters()
        for _ in 0..<count {
            let key = try r.u32("parameter key")
            let value = try r.f64("parameter value")
            guard let parameter = Parameter(rawValue: Int(key)) else {
                throw EngineError.format("unknown parameter key \(key) (written by a newer liblinreg?)")
            }
            do {
                try parameters.set(parameter, to: value)
            } catch let error as EngineError {
                throw EngineError.format("stored parameter is invalid: \(error.message)")
            }
        }
        try r.expectEnd()
        model.hyperparameters = parameters
    }

    /// The fit in section 4 and whether it had an intercept.
    private static func decodeFit(_ bytes: UnsafeRawBufferPointer, model: LinearModel) throws
        -> (fit: LeastSquaresFit, fitIntercept: Bool) {
        var r = ByteReader(bytes, context: "exact-fit section")
        let d = model.featureCount, k = model.outputCount
        let interceptFlag = try r.u8("fit intercept flag")
        guard interceptFlag <= 1 else { throw EngineError.format("fit intercept flag is \(interceptFlag), not 0 or 1") }
        let p = d + Int(interceptFlag)
        func vector(_ what: String, count expected: Int?) throws -> [Double] {
            let count = try r.count("\(what) length", in: 0...Int.max)
            if let expected, count != expected {
                throw EngineError.format("\(what) has \(count) values; expected \(expected)")
            }
            return try r.f64s(count, what)
        }
        let weights = try vector("fit weights", count: d * k)
        let intercepts = try vector("fit intercepts", count: k)
        let rank = try r.count("rank", in: 0...(d + 1))
        let centeredRank = try r.count("centred rank", in: 0...(d + 1))
        let singular = try vector("singular values", count: nil)
        guard singular.count <= d + 1 else { throw EngineError.format("too many singular values (\(singular.count))") }
        let condition = try r.f64("condition number")
        let hasCovariance = try r.u8("covariance flag")
        guard hasCovariance <= 1 else { throw EngineError.format("covariance flag is \(hasCovariance)") }
        let covariance = hasCovariance == 1 ? try vector("covariance", count: p * p) : nil
        let rss = try vector("residual sums of squares", count: k)
        let tss = try vector("total sums of squares", count: k)
        let n = try r.count("observation count", in: 1...Int.max)
        let sumLogWeights = try r.f64("sum of log weights")
        try r.expectEnd()
        let fit = LeastSquaresFit(weights: weights, intercepts: intercepts, rank: rank, centeredRank: centeredRank,
                                  singularValues: singular, conditionNumber: condition,
                                  unscaledCovariance: covariance, residualSumOfSquares: rss,
                                  totalSumOfSquares: tss, observationCount: n, sumLogWeights: sumLogWeights)
        return (fit, interceptFlag == 1)
    }
}
