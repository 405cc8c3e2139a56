import LinReg

// Feature and target names (experimental): checked here (pointers, lengths,
// UTF-8), kept by the engine's LinearModel and stored in the model format.

/// The `count` C strings at `names`, each read up to at most
/// `ModelNames.maxBytes + 1` bytes (so an over-long name is refused without
/// scanning further), checked as names.
private func readNames(_ names: UnsafePointer<UnsafePointer<CChar>?>, count: Int, role: String) throws -> [String] {
    try MemoryReservation.ensure(bytes: MemoryReservation.bytes(count: count, stride: MemoryLayout<String>.stride),
                                 for: "\(count) \(role) names")
    var result: [String] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        guard let text = names[index] else { throw invalid("\(role)_names[\(index)] is NULL") }
        var length = 0
        while length <= ModelNames.maxBytes, text[length] != 0 { length += 1 }
        guard length <= ModelNames.maxBytes else {
            throw invalid("\(role)_names[\(index)] is longer than \(ModelNames.maxBytes) bytes")
        }
        switch ModelNames.name(fromUTF8: UnsafeRawBufferPointer(start: UnsafeRawPointer(text), count: length)) {
        case .success(let name): result.append(name)
        case .failure(let problem): throw invalid("\(role)_names[\(index)] \(problem.message)")
        }
    }
    return result
}

@_cdecl("linreg_set_names")
public func linreg_set_names(_ model: OpaquePointer?, _ featureNames: UnsafePointer<UnsafePointer<CChar>?>?,
                             _ targetNames: UnsafePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guarded("linreg_set_names") {
        let h = try handle(model)
        let features = try featureNames.map { try readNames($0, count: h.model.featureCount, role: "feature") }
        let targets = try targetNames.map { try readNames($0, count: h.model.outputCount, role: "target") }
        try h.model.setNames(features: features, targets: targets)
    }
}

/// The shared body of the two getters: the sqlite/zstd-style size query.
private func copyName(_ function: StaticString, _ model: OpaquePointer?, _ index: Int64,
                      _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int64,
                      _ length: UnsafeMutablePointer<Int64>?, targets: Bool) -> Int32 {
    guarded(function) {
        let m = try handle(model).model
        let length = try required(length, "length")
        guard capacity >= 0 else { throw invalid("capacity = \(capacity) must be >= 0") }
        if capacity > 0 && buffer == nil { throw invalid("buf is NULL but capacity is \(capacity)") }
        let count = targets ? m.outputCount : m.featureCount
        let role = targets ? "target" : "feature"
        guard index >= 0, index < Int64(count) else {
            throw invalid("index = \(index) is out of range 0...\(count - 1) (the model has \(count) \(role)s)")
        }
        guard let names = targets ? m.targetNames : m.featureNames else {
            throw EngineError.unavailable("the model has no \(role) names")
        }
        let bytes = Array(names[Int(index)].utf8)
        length.pointee = Int64(bytes.count)
        if buffer == nil && capacity == 0 { return }
        guard capacity > Int64(bytes.count), let buffer else {
            throw invalid("capacity = \(capacity) is too small for the \(bytes.count) bytes of \(role) name \(index) and its NUL")
        }
        for (offset, byte) in bytes.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }
}

@_cdecl("linreg_get_feature_name")
public func linreg_get_feature_name(_ model: OpaquePointer?, _ index: Int64, _ buffer: UnsafeMutablePointer<CChar>?,
                                    _ capacity: Int64, _ length: UnsafeMutablePointer<Int64>?) -> Int32 {
    copyName("linreg_get_feature_name", model, index, buffer, capacity, length, targets: false)
}

@_cdecl("linreg_get_target_name")
public func linreg_get_target_name(_ model: OpaquePointer?, _ index: Int64, _ buffer: UnsafeMutablePointer<CChar>?,
                                   _ capacity: Int64, _ length: UnsafeMutablePointer<Int64>?) -> Int32 {
    copyName("linreg_get_target_name", model, index, buffer, capacity, length, targets: true)
}
