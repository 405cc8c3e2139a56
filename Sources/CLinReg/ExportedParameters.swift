import LinReg

private func parameter(_ key: Int32) throws -> Parameter {
    guard let parameter = Parameter(rawValue: Int(key)) else {
        throw invalid("unknown parameter key \(key)")
    }
    return parameter
}

@_cdecl("linreg_set_param")
public func linreg_set_param(_ model: OpaquePointer?, _ key: Int32, _ value: Double) -> Int32 {
    guarded("linreg_set_param") {
        let h = try handle(model)
        let parameter = try parameter(key)
        try h.model.hyperparameters.set(parameter, to: value, spelledAs: parameter.cName)
    }
}

@_cdecl("linreg_get_param")
public func linreg_get_param(_ model: OpaquePointer?, _ key: Int32, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_get_param") {
        let h = try handle(model)
        let out = try required(out, "out")
        out.pointee = h.model.hyperparameters.value(of: try parameter(key))
    }
}

@_cdecl("linreg_set_progress")
public func linreg_set_progress(_ model: OpaquePointer?, _ function: CProgressFunction?,
                                _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guarded("linreg_set_progress") {
        let h = try handle(model)
        h.progress = function.map { ProgressCallback(function: $0, userData: userData) }
    }
}
