import Testing
@testable import LinReg

/// Section 5 of the model format: the exact accumulator survives serialize /
/// deserialize bit for bit, streaming and merging continue identically, and
/// damaged accumulator sections are format errors.
@Suite struct StreamingArchiveTests {
    typealias S = StreamingSupport
    static let accumulatorTag: UInt32 = 5

    func streamedModel(weighted: Bool = true, fitIntercept: Bool = true) throws -> (S.Problem, LinearModel) {
        let problem = S.Problem(n: 1200, d: 3, k: 2, weighted: weighted, seed: 31)
        let model = try S.streamed(S.model(problem, fitIntercept: fitIntercept), problem, S.chunks([300, 300]))
        return (problem, model)
    }

    @Test(arguments: [(true, true), (false, false), (true, false)])
    func roundTripKeepsTheAccumulatorExactly(weighted: Bool, fitIntercept: Bool) throws {
        let (_, model) = try streamedModel(weighted: weighted, fitIntercept: fitIntercept)
        let bytes = ModelArchive.encode(model)
        #expect(S.section(Self.accumulatorTag, in: bytes) != nil)
        let copy = try S.decode(bytes)
        #expect(copy.accumulator == model.accumulator)
        #expect(copy.exactFit == model.exactFit)
        #expect(ModelArchive.encode(copy) == bytes)
    }

    @Test func partialFitContinuesIdenticallyAfterDeserialize() throws {
        let (problem, model) = try streamedModel()
        let copy = try S.decode(ModelArchive.encode(model))
        let rest = S.chunks([600, 250, 350]).dropFirst().map { $0 }
        let direct = try S.streamed(model, problem, rest)
        let resumed = try S.streamed(copy, problem, rest)
        #expect(resumed.weights == direct.weights)
        #expect(resumed.intercepts == direct.intercepts)
        #expect(resumed.exactFit == direct.exactFit)
        #expect(resumed.accumulator == direct.accumulator)
        S.expectSameFit(resumed, try S.fitted(S.model(problem), problem, 0 ..< 1200))
    }

    @Test func deserializedPartsMergeLikeOneFit() throws {
        // What a distributed fit does: parts reduced to bytes, merged in a tree.
        let problem = S.Problem(n: 1000, d: 4, k: 1, weighted: true, seed: 37)
        let base = try S.model(problem)
        let bytes = try S.chunks([250, 250, 250, 250]).map { ModelArchive.encode(try S.fitted(base, problem, $0)) }
        var left = try S.decode(bytes[0]); try left.merge(try S.decode(bytes[1]))
        var right = try S.decode(bytes[2]); try right.merge(try S.decode(bytes[3]))
        var root = try S.decode(ModelArchive.encode(left))
        try root.merge(try S.decode(ModelArchive.encode(right)))
        S.expectSameFit(root, try S.fitted(base, problem, 0 ..< 1000))
    }

    @Test func modelsWithoutAnAccumulatorWriteNoSection() throws {
        var model = try LinearModel(featureCount: 2, outputCount: 1)
        #expect(S.section(Self.accumulatorTag, in: ModelArchive.encode(model)) == nil)
        try model.setWeights([1, 2], intercepts: [3])
        #expect(S.section(Self.accumulatorTag, in: ModelArchive.encode(model)) == nil)
        #expect(try S.decode(ModelArchive.encode(model)).accumulator == nil)
    }

    @Test func changedInterceptSurvivesSaveAndIsStillRefused() throws {
        let (problem, model) = try streamedModel()
        var changed = model
        changed.hyperparameters.fitIntercept = false
        var copy = try S.decode(ModelArchive.encode(changed))
        #expect(copy.accumulator == model.accumulator)
        #expect(throws: EngineError.self) {
            try S.withViews(problem, 600 ..< 700) { X, Y, w in try copy.partialFit(X: X, Y: Y, sampleWeight: w) }
        }
        // Statistics are those of the fit (with intercept), as before saving.
        #expect((copy.statistics == nil) == (changed.statistics == nil))
    }

    // MARK: Damaged sections

    /// Decoding `bytes` fails with a format error whose message contains `text`.
    func expectFormatError(_ bytes: [UInt8], _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try S.decode(bytes)
            Issue.record("damaged accumulator accepted (\(text))", sourceLocation: sourceLocation)
        } catch let error as EngineError {
            guard case .format(let message) = error else {
                Issue.record("expected a format error, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(message.contains(text), "message: \(message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func corruptedAccumulatorFieldsAreFormatErrors() throws {
        let (_, model) = try streamedModel()
        let bytes = ModelArchive.encode(model)
        guard let section = S.section(Self.accumulatorTag, in: bytes) else {
            Issue.record("no accumulator section")
            return
        }
        let s = section.lowerBound
        let m = 1 + 3 + 2
        let exponents = s + 8 + 8 + 1 + 8 + 16
        let triangle = exponents + 9 * m
        func damaged(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
            var copy = bytes
            change(&copy)
            S.fixChecksum(&copy)
            return copy
        }
        // Any flipped byte without a checksum fix: the checksum catches it.
        var flipped = bytes
        flipped[triangle + 5] ^= 0x10
        expectFormatError(flipped, "checksum")
        // With a valid checksum, the section's own checks.
        expectFormatError(damaged { S.put(4, 8, at: s, in: &$0) }, "n_features = 4")
        expectFormatError(damaged { S.put(3, 8, at: s + 8, in: &$0) }, "n_outputs = 3")
        expectFormatError(damaged { $0[s + 16] = 2 }, "intercept flag")
        expectFormatError(damaged { S.put(UInt64.max, 8, at: s + 17, in: &$0) }, "row count")
        expectFormatError(damaged { S.put(601, 8, at: s + 17, in: &$0) }, "601 rows")
        expectFormatError(damaged { S.put(Double.nan.bitPattern, 8, at: s + 25, in: &$0) }, "log weights")
        expectFormatError(damaged { S.put(Double(1e300).bitPattern, 8, at: s + 33, in: &$0) }, "log weights")
        expectFormatError(damaged { $0[exponents] = 2 }, "exponent flag")
        expectFormatError(damaged { S.put(UInt64(bitPattern: -5000), 8, at: exponents + 1, in: &$0) }, "out of range")
        expectFormatError(damaged { S.put(UInt64(bitPattern: 2001), 8, at: exponents + 9 + 1, in: &$0) }, "out of range")
        expectFormatError(damaged { $0[exponents + 9 * 2] = 0 }, "no exponent but stores")
        expectFormatError(damaged {
            $0[exponents + 9 * 2] = 0
            S.put(0, 8, at: exponents + 9 * 2 + 1, in: &$0)
        }, "has seen only zeros")
        expectFormatError(damaged { S.put(Double.infinity.bitPattern, 8, at: triangle, in: &$0) }, "R[0][0]")
        expectFormatError(damaged { S.put(Double.nan.bitPattern, 8, at: triangle + 8 + 16 * 3, in: &$0) }, "R[0][3]")
        expectFormatError(damaged { S.put(0x1p70.bitPattern, 8, at: triangle + 16, in: &$0) }, "R[0][1]")
        expectFormatError(damaged { S.put(Double(1e300).bitPattern, 8, at: triangle + 16 + 8, in: &$0) }, "R[0][1]")
    }

    @Test func wrongSectionSizesAreFormatErrors() throws {
        let (_, model) = try streamedModel()
        let bytes = ModelArchive.encode(model)
        guard let section = S.section(Self.accumulatorTag, in: bytes) else {
            Issue.record("no accumulator section")
            return
        }
        let payload = Array(bytes[section])
        expectFormatError(S.replacingSection(Self.accumulatorTag, with: Array(payload.dropLast(16)), in: bytes),
                          "need 6 exponents")
        expectFormatError(S.replacingSection(Self.accumulatorTag, with: payload + [0, 0, 0, 0, 0, 0, 0, 0], in: bytes),
                          "need 6 exponents")
        expectFormatError(S.replacingSection(Self.accumulatorTag, with: Array(payload.prefix(20)), in: bytes),
                          "truncated")
        expectFormatError(S.replacingSection(Self.accumulatorTag, with: [], in: bytes), "truncated")
        // A huge claimed row dimension must not allocate: d is checked against the model first.
        var huge = payload
        S.put(1 << 40, 8, at: 0, in: &huge)
        expectFormatError(S.replacingSection(Self.accumulatorTag, with: huge, in: bytes), "n_features")
    }

    @Test func sectionOrderIsEnforced() throws {
        let (_, model) = try streamedModel()
        let bytes = ModelArchive.encode(model)
        guard let fit = S.section(4, in: bytes), let acc = S.section(5, in: bytes) else {
            Issue.record("missing sections")
            return
        }
        // Swap sections 4 and 5: out of order.
        let head = Array(bytes[0 ..< (fit.lowerBound - 12)])
        let fitSection = Array(bytes[(fit.lowerBound - 12) ..< fit.upperBound])
        let accSection = Array(bytes[(acc.lowerBound - 12) ..< acc.upperBound])
        var swapped = head + accSection + fitSection + [0, 0, 0, 0]
        S.fixChecksum(&swapped)
        expectFormatError(swapped, "out of order")
        // Repeat section 5.
        var repeated = head + fitSection + accSection + accSection + [0, 0, 0, 0]
        S.put(UInt64(repeated.count - 28), 8, at: 16, in: &repeated)
        S.fixChecksum(&repeated)
        expectFormatError(repeated, "repeated or out of order")
        // Unknown tag 8 (tag 6 is the names section of format 2, tag 7 the covariance pass of format 3).
        var unknown = head + fitSection + accSection + [8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0]
        S.put(UInt64(unknown.count - 28), 8, at: 16, in: &unknown)
        S.fixChecksum(&unknown)
        expectFormatError(unknown, "unknown section tag 8")
        // Section 5 alone (no section 4) is readable.
        var alone = head + accSection + [0, 0, 0, 0]
        S.put(UInt64(alone.count - 28), 8, at: 16, in: &alone)
        S.fixChecksum(&alone)
        let decoded = try S.decode(alone)
        #expect(decoded.accumulator == model.accumulator)
        #expect(decoded.exactFit == nil)
    }

    @Test func everyTruncationAndBitFlipOfAStreamedModelIsDetected() throws {
        let problem = S.Problem(n: 40, d: 1, k: 1, weighted: true)
        let model = try S.streamed(S.model(problem), problem, S.chunks([10, 30]))
        let bytes = ModelArchive.encode(model)
        for length in 0 ..< bytes.count {
            #expect(throws: EngineError.self) { try S.decode(Array(bytes[0 ..< length])) }
        }
        for index in 0 ..< bytes.count {
            var damaged = bytes
            damaged[index] ^= 0x04
            #expect(throws: EngineError.self) { try S.decode(damaged) }
        }
    }
}
