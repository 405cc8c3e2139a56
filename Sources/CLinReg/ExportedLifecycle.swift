import LinReg

@_cdecl("linreg_create")
public func linreg_create(_ nFeatures: Int64, _ nOutputs: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return guarded("linreg_create") {
        let out = try required(out, "out")
        guard let d = Int(exactly: nFeatures), let k = Int(exactly: nOutputs) else {
            throw invalid("n_features = \(nFeatures), n_outputs = \(nOutputs) are too large")
        }
        let model = try LinearModel(featureCount: d, outputCount: k)
        out.pointee = ModelHandle(model: model).retainedPointer()
    }
}

@_cdecl("linreg_free")
public func linreg_free(_ model: OpaquePointer?) {
    guard let model else { return }
    ModelHandle.release(model)
}

@_cdecl("linreg_get_shape")
public func linreg_get_shape(_ model: OpaquePointer?, _ nFeatures: UnsafeMutablePointer<Int64>?,
                             _ nOutputs: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_get_shape") {
        let m = try handle(model).model
        nFeatures?.pointee = Int64(m.featureCount)
        nOutputs?.pointee = Int64(m.outputCount)
    }
}

@_cdecl("linreg_is_fitted")
public func linreg_is_fitted(_ model: OpaquePointer?) -> Int32 {
    guard let model else { return 0 }
    return ModelHandle.from(model).model.isFitted ? 1 : 0
}
