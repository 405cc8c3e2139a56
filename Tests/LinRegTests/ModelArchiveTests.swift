import Testing
@testable import LinReg

@Suite struct ModelArchiveTests {
    func sampleModel() throws -> LinearModel {
        var model = try LinearModel(featureCount: 3, outputCount: 2)
        try model.hyperparameters.set(.solver, to: 2)
        try model.hyperparameters.set(.learningRate, to: 0.125)
        try model.hyperparameters.set(.seed, to: 12345)
        try model.setWeights([1.5, -2.25, 0.1, 3, 4, -5e-300], intercepts: [0.5, -0.75])
        return model
    }

    @Test func crcMatchesZlib() {
        // zlib.crc32(b"123456789") == 0xCBF43926 (the standard check value).
        let bytes: [UInt8] = Array("123456789".utf8)
        #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
    }

    @Test func roundTripKeepsEverything() throws {
        let model = try sampleModel()
        let bytes = ModelArchive.encode(model)
        let copy = try bytes.withUnsafeBytes { try ModelArchive.decode($0) }
        #expect(copy.weights == model.weights)
        #expect(copy.intercepts == model.intercepts)
        #expect(copy.hyperparameters == model.hyperparameters)
        #expect(copy.isFitted == model.isFitted)
        #expect(copy.lossHistory == model.lossHistory)
        #expect(ModelArchive.encode(copy) == bytes)
    }

    @Test func headerIsLittleEndianAndVersioned() throws {
        let bytes = ModelArchive.encode(try sampleModel())
        #expect(Array(bytes[0..<8]) == [0x89, 0x4C, 0x4E, 0x52, 0x47, 0x0D, 0x0A, 0x1A])
        #expect(Array(bytes[8..<12]) == [3, 0, 0, 0])
        let bodyLength = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[16 + $1]) << (8 * UInt64($1)) }
        #expect(Int(bodyLength) == bytes.count - 28)
    }

    @Test func everyTruncationIsAFormatError() throws {
        let bytes = ModelArchive.encode(try sampleModel())
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            #expect(throws: EngineError.self) { try prefix.withUnsafeBytes { try ModelArchive.decode($0) } }
        }
    }

    @Test func everySingleBitFlipIsDetected() throws {
        let bytes = ModelArchive.encode(try sampleModel())
        for index in 0..<bytes.count {
            for bit in [0, 3, 7] {
                var damaged = bytes
                damaged[index] ^= UInt8(1 << bit)
                do {
                    _ = try damaged.withUnsafeBytes { try ModelArchive.decode($0) }
                    Issue.record("flip of bit \(bit) in byte \(index) was not detected")
                } catch let error as EngineError {
                    guard case .format = error else {
                        Issue.record("flip gave \(error) instead of a format error")
                        continue
                    }
                }
            }
        }
    }

    @Test func otherVersionIsRefusedWithItsNumber() throws {
        var bytes = ModelArchive.encode(try sampleModel())
        for version: UInt8 in [0, 4, 255] {
            bytes[8] = version
            #expect(throws: EngineError.format("model format version \(version) is not supported (this library reads versions 1 to 3)")) {
                try bytes.withUnsafeBytes { try ModelArchive.decode($0) }
            }
        }
    }
}
