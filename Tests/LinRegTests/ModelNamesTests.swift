import Testing
@testable import LinReg

/// Feature and target names: kept by the model's operations, stored in the
/// format's names section (docs/FORMAT.md, format version 2), and every
/// malformed names section refused as a format error.
@Suite struct ModelNamesTests {
    let features = ["TV", "radio", "", "été ☀︎"]
    let targets = ["sales", "profit"]

    func namedModel() throws -> LinearModel {
        var model = try LinearModel(featureCount: 4, outputCount: 2)
        try model.setWeights([1, 2, 3, 4, 5, 6, 7, 8], intercepts: [0.5, -0.5])
        try model.setNames(features: features, targets: targets)
        return model
    }

    func decode(_ bytes: [UInt8]) throws -> LinearModel {
        try bytes.withUnsafeBytes { try ModelArchive.decode($0) }
    }

    // MARK: bytes written by hand from docs/FORMAT.md

    static func le(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func section(_ tag: UInt32, _ payload: [UInt8]) -> [UInt8] {
        le(UInt64(tag), 4) + le(UInt64(payload.count), 8) + payload
    }

    /// A whole file of `version` with these body sections and a correct CRC.
    static func file(version: UInt32, sections: [[UInt8]]) -> [UInt8] {
        let body = sections.flatMap { $0 }
        let head: [UInt8] = [0x89, 0x4C, 0x4E, 0x52, 0x47, 0x0D, 0x0A, 0x1A]
            + le(UInt64(version), 4) + le(0, 4) + le(UInt64(body.count), 8) + body
        return head + le(UInt64(head.withUnsafeBytes { CRC32.checksum($0) }), 4)
    }

    /// Sections 1–3 of a fitted 2-feature, 1-output model: W = [1.5, -2], b = 0.25,
    /// no parameters stored (defaults), empty loss history.
    static let requiredSections: [[UInt8]] = [
        section(1, le(2, 8) + le(1, 8) + [1] + le(1.5.bitPattern, 8) + le((-2.0).bitPattern, 8) + le(0.25.bitPattern, 8)),
        section(2, le(0, 8)),
        section(3, le(0, 8)),
    ]

    static func names(_ list: [String]?) -> [UInt8] {
        guard let list else { return le(0, 8) }
        return le(UInt64(list.count), 8) + list.flatMap { le(UInt64($0.utf8.count), 4) + Array($0.utf8) }
    }

    // MARK: engine

    @Test func setNamesValidatesAndLeavesTheModelUnchangedOnError() throws {
        var model = try namedModel()
        let before = ModelArchive.encode(model)
        #expect(throws: EngineError.self) { try model.setNames(features: ["a", "b", "c"], targets: nil) }
        #expect(throws: EngineError.self) { try model.setNames(features: features, targets: ["only one"]) }
        #expect(throws: EngineError.self) { try model.setNames(features: ["a", "b\u{0}c", "d", "e"], targets: nil) }
        #expect(throws: EngineError.self) {
            try model.setNames(features: ["a", String(repeating: "é", count: 2049), "c", "d"], targets: nil)
        }
        #expect(ModelArchive.encode(model) == before)
        #expect(model.featureNames == features && model.targetNames == targets)
        // 4096 bytes exactly is allowed; nil removes one kind only.
        let longest = String(repeating: "x", count: 4096)
        try model.setNames(features: [longest, "b", "c", "d"], targets: nil)
        #expect(model.featureNames?[0].utf8.count == 4096)
        #expect(model.targetNames == nil)
    }

    @Test func namesSurviveFitPartialFitMergeAndSetWeights() throws {
        let problem = StreamingSupport.Problem(n: 40, d: 4, k: 2)
        var model = try namedModel()
        try StreamingSupport.withViews(problem, 0..<20) { X, Y, _ in try model.fit(X: X, Y: Y) }
        #expect(model.featureNames == features && model.targetNames == targets)
        try StreamingSupport.withViews(problem, 20..<30) { X, Y, _ in try model.partialFit(X: X, Y: Y) }
        #expect(model.featureNames == features && model.targetNames == targets)
        var other = try LinearModel(featureCount: 4, outputCount: 2)
        try other.setNames(features: ["w", "x", "y", "z"], targets: nil)
        try StreamingSupport.withViews(problem, 30..<40) { X, Y, _ in try other.fit(X: X, Y: Y) }
        try model.merge(other)
        #expect(model.featureNames == features && model.targetNames == targets)  // into keeps its own
        try model.hyperparameters.set(.solver, to: 1)
        try model.hyperparameters.set(.epochs, to: 2)
        try model.hyperparameters.set(.learningRate, to: 1e-12)
        try StreamingSupport.withViews(problem, 0..<10) { X, Y, _ in try model.fit(X: X, Y: Y) }
        #expect(model.featureNames == features && model.targetNames == targets)
        try model.setWeights(Array(repeating: 1, count: 8), intercepts: [0, 0])
        #expect(model.featureNames == features && model.targetNames == targets)
    }

    // MARK: format

    @Test func roundTripKeepsNamesAndWritesTheCurrentVersion() throws {
        let model = try namedModel()
        let bytes = ModelArchive.encode(model)
        #expect(Array(bytes[8..<12]) == [3, 0, 0, 0])
        let copy = try decode(bytes)
        #expect(copy.featureNames == features)
        #expect(copy.targetNames == targets)
        #expect(copy.weights == model.weights && copy.intercepts == model.intercepts)
        #expect(ModelArchive.encode(copy) == bytes)
        _ = try ModelArchive.encodeVerified(model)
    }

    @Test func namesSectionIsTheDocumentedLayout() throws {
        var model = try LinearModel(featureCount: 2, outputCount: 1)
        try model.setWeights([1.5, -2], intercepts: [0.25])
        try model.setNames(features: ["a", "βγ"], targets: nil)
        let expectedSection = Self.section(6, Self.names(["a", "βγ"]) + Self.names(nil))
        // hand-written: 29 bytes: count 2, (1, "a"), (4, CE B2 CE B3), then target count 0
        #expect(expectedSection == [6, 0, 0, 0, 29, 0, 0, 0, 0, 0, 0, 0,
                                    2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x61, 4, 0, 0, 0, 0xCE, 0xB2, 0xCE, 0xB3,
                                    0, 0, 0, 0, 0, 0, 0, 0])
        let bytes = ModelArchive.encode(model)
        #expect(Array(bytes[(bytes.count - 4 - expectedSection.count)..<(bytes.count - 4)]) == expectedSection)
        // and a file written by hand from the document decodes to the same names
        let handWritten = Self.file(version: 2, sections: Self.requiredSections + [expectedSection])
        let loaded = try decode(handWritten)
        #expect(loaded.featureNames == ["a", "βγ"] && loaded.targetNames == nil)
        #expect(loaded.weights == [1.5, -2] && loaded.intercepts == [0.25])
    }

    @Test func modelWithoutNamesHasNoNamesSection() throws {
        var model = try LinearModel(featureCount: 2, outputCount: 1)
        try model.setWeights([1.5, -2], intercepts: [0.25])
        let bytes = ModelArchive.encode(model)
        var tags: [UInt64] = []
        var offset = 24
        while offset < bytes.count - 4 {
            let le = { (at: Int, n: Int) in (0..<n).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
            tags.append(le(offset, 4))
            offset += 12 + Int(le(offset + 4, 8))
        }
        #expect(tags == [1, 2, 3])
        let copy = try decode(bytes)
        #expect(copy.featureNames == nil && copy.targetNames == nil)
    }

    @Test func version1FileStillLoadsWithoutNames() throws {
        let v1 = Self.file(version: 1, sections: Self.requiredSections)
        let model = try decode(v1)
        #expect(model.isFitted)
        #expect(model.weights == [1.5, -2] && model.intercepts == [0.25])
        #expect(model.featureNames == nil && model.targetNames == nil)
        // re-saved, it becomes the current version
        #expect(Array(ModelArchive.encode(model)[8..<12]) == [UInt8(ModelArchive.formatVersion), 0, 0, 0])
    }

    @Test func version1FileWithANamesSectionIsRefused() throws {
        let section = Self.section(6, Self.names(["a", "b"]) + Self.names(["y"]))
        #expect(throws: EngineError.format("section names (tag 6) is not part of format version 1")) {
            try decode(Self.file(version: 1, sections: Self.requiredSections + [section]))
        }
        _ = try decode(Self.file(version: 2, sections: Self.requiredSections + [section]))
    }

    @Test func malformedNamesAreFormatErrors() throws {
        func payloads() -> [(String, [UInt8])] {
            var cases: [(String, [UInt8])] = []
            cases.append(("no names at all", Self.names(nil) + Self.names(nil)))
            cases.append(("feature count not d", Self.names(["a"]) + Self.names(nil)))
            cases.append(("target count not k", Self.names(nil) + Self.names(["y", "z"])))
            cases.append(("invalid UTF-8", Self.le(2, 8) + Self.le(1, 4) + [0x61] + Self.le(2, 4) + [0xC3, 0x28]
                          + Self.names(nil)))
            cases.append(("overlong encoding", Self.le(2, 8) + Self.le(1, 4) + [0x61] + Self.le(2, 4) + [0xC0, 0xAF]
                          + Self.names(nil)))
            cases.append(("NUL inside", Self.le(2, 8) + Self.le(1, 4) + [0x61] + Self.le(3, 4) + [0x62, 0, 0x63]
                          + Self.names(nil)))
            let long = [UInt8](repeating: 0x78, count: 4097)
            cases.append(("name of 4097 bytes", Self.le(2, 8) + Self.le(1, 4) + [0x61] + Self.le(4097, 4) + long
                          + Self.names(nil)))
            cases.append(("length past the end", Self.le(2, 8) + Self.le(1, 4) + [0x61] + Self.le(4000, 4) + [0x62]))
            cases.append(("huge length", Self.le(2, 8) + Self.le(1, 4) + [0x61] + Self.le(0xFFFF_FFFF, 4)))
            cases.append(("huge count", Self.le(1 << 31, 8) + Self.names(nil)))
            cases.append(("negative count", Self.le(UInt64.max, 8) + Self.names(nil)))
            cases.append(("trailing byte", Self.names(["a", "b"]) + Self.names(nil) + [0]))
            cases.append(("target list missing", Self.names(["a", "b"])))
            return cases
        }
        for (label, payload) in payloads() {
            let bytes = Self.file(version: 2, sections: Self.requiredSections + [Self.section(6, payload)])
            do {
                _ = try decode(bytes)
                Issue.record("\(label): decoded")
            } catch let error as EngineError {
                guard case .format = error else {
                    Issue.record("\(label): \(error) instead of a format error")
                    continue
                }
            }
        }
        // a repeated names section
        let good = Self.section(6, Self.names(["a", "b"]) + Self.names(nil))
        #expect(throws: EngineError.self) { try decode(Self.file(version: 2, sections: Self.requiredSections + [good, good])) }
    }

    @Test func everyTruncationAndBitFlipOfANamedModelIsAFormatError() throws {
        let bytes = ModelArchive.encode(try namedModel())
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            #expect(throws: EngineError.self) { try decode(prefix) }
        }
        for index in 0..<bytes.count {
            var damaged = bytes
            damaged[index] ^= 0x10
            do {
                _ = try decode(damaged)
                Issue.record("flip in byte \(index) was not detected")
            } catch let error as EngineError {
                guard case .format = error else { Issue.record("byte \(index): \(error)"); continue }
            }
        }
    }

    @Test func validUTF8Checks() {
        func check(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { if case .success = ModelNames.name(fromUTF8: $0) { return true } else { return false } }
        }
        #expect(check([]))
        #expect(check(Array("naïve 名前 😀".utf8)))
        #expect(!check([0xFF]))
        #expect(!check([0xED, 0xA0, 0x80]))  // a UTF-16 surrogate, not UTF-8
        #expect(!check([0xF4, 0x90, 0x80, 0x80]))  // beyond U+10FFFF
        #expect(!check([0xE2, 0x82]))  // truncated sequence
        #expect(!check([0x61, 0x00]))
    }
}
