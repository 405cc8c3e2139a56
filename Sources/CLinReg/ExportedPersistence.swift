import LinReg

@_cdecl("linreg_serialize")
public func linreg_serialize(_ model: OpaquePointer?, _ buffer: UnsafeMutableRawPointer?, _ capacity: Int64,
                             _ size: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_serialize") {
        let m = try handle(model).model
        let size = try required(size, "size")
        guard capacity >= 0 else { throw invalid("capacity = \(capacity) must be >= 0") }
        if capacity > 0 && buffer == nil { throw invalid("buf is NULL but capacity is \(capacity)") }
        let bytes = try ModelArchive.encodeVerified(m)
        size.pointee = Int64(bytes.count)
        if buffer == nil && capacity == 0 { return }
        guard capacity >= Int64(bytes.count), let buffer else {
            throw invalid("capacity = \(capacity) is smaller than the \(bytes.count) bytes the model needs")
        }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }
}

@_cdecl("linreg_deserialize")
public func linreg_deserialize(_ buffer: UnsafeRawPointer?, _ size: Int64,
                               _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return guarded("linreg_deserialize") {
        let out = try required(out, "out")
        let buffer = try required(buffer, "buf")
        guard size >= 0, let count = Int(exactly: size) else { throw invalid("size = \(size) must be >= 0") }
        let model = try ModelArchive.decode(UnsafeRawBufferPointer(start: buffer, count: count))
        out.pointee = ModelHandle(model: model).retainedPointer()
    }
}

@_cdecl("linreg_save")
public func linreg_save(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    guarded("linreg_save") {
        let m = try handle(model).model
        let path = String(cString: try required(path, "path"))
        try ModelFile.write(ModelArchive.encodeVerified(m), to: path)
    }
}

@_cdecl("linreg_load")
public func linreg_load(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return guarded("linreg_load") {
        let out = try required(out, "out")
        let path = String(cString: try required(path, "path"))
        let bytes = try ModelFile.read(path)
        let model = try bytes.withUnsafeBytes { try ModelArchive.decode($0) }
        out.pointee = ModelHandle(model: model).retainedPointer()
    }
}
