import LinReg

@_cdecl("linreg_get_stat")
public func linreg_get_stat(_ model: OpaquePointer?, _ key: Int32, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_get_stat") {
        let m = try handle(model).model
        let out = try required(out, "out")
        guard let kind = StatisticKind(rawValue: Int(key)) else { throw invalid("unknown statistic key \(key)") }
        let values = try m.statistic(kind)
        guard values.count == m.outputCount else {
            throw EngineError.internal("statistic \(key) has \(values.count) values for \(m.outputCount) outputs")
        }
        out.update(from: values, count: values.count)
    }
}

@_cdecl("linreg_get_coef_stats")
public func linreg_get_coef_stats(_ model: OpaquePointer?, _ key: Int32, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_get_coef_stats") {
        let m = try handle(model).model
        let out = try required(out, "out")
        guard let kind = CoefficientStatisticKind(rawValue: Int(key)) else {
            throw invalid("unknown coefficient statistic key \(key)")
        }
        let values = try m.coefficientStatistic(kind)
        let expected = m.outputCount * (m.featureCount + 1)
        guard values.count == expected else {
            throw EngineError.internal("coefficient statistic \(key) has \(values.count) values for \(expected)")
        }
        out.update(from: values, count: values.count)
    }
}

@_cdecl("linreg_singular_values")
public func linreg_singular_values(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?,
                                   _ capacity: Int64, _ count: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_singular_values") {
        let values = try handle(model).model.singularValues()
        try copyOut(values, to: out, capacity: capacity, count: count)
    }
}

@_cdecl("linreg_get_solver_info")
public func linreg_get_solver_info(_ model: OpaquePointer?, _ path: UnsafeMutablePointer<Int32>?,
                                   _ passes: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_get_solver_info") {
        let m = try handle(model).model
        guard m.isFitted else { throw EngineError.notFitted("the model is not fitted") }
        guard let report = m.solverReport else {
            throw EngineError.unavailable("the solver report exists only after an exact fit or partial fit in this process (it is not stored with the model, and merge and set_weights clear it)")
        }
        path?.pointee = Int32(report.path.rawValue)
        passes?.pointee = Int64(report.passes)
    }
}
