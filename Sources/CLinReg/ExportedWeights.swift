import LinReg

@_cdecl("linreg_get_weights")
public func linreg_get_weights(_ model: OpaquePointer?, _ W: UnsafeMutablePointer<Double>?,
                               _ b: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded("linreg_get_weights") {
        let m = try handle(model).model
        if let W { W.update(from: m.weights, count: m.weights.count) }
        if let b { b.update(from: m.intercepts, count: m.intercepts.count) }
    }
}

@_cdecl("linreg_set_weights")
public func linreg_set_weights(_ model: OpaquePointer?, _ W: UnsafePointer<Double>?,
                               _ b: UnsafePointer<Double>?) -> Int32 {
    guarded("linreg_set_weights") {
        let h = try handle(model)
        let W = try required(W, "W")
        let count = h.model.weights.count
        let weights = Array(UnsafeBufferPointer(start: W, count: count))
        let intercepts = b.map { Array(UnsafeBufferPointer(start: $0, count: h.model.outputCount)) }
            ?? Array(repeating: 0, count: h.model.outputCount)
        try h.model.setWeights(weights, intercepts: intercepts)
    }
}

@_cdecl("linreg_loss_history")
public func linreg_loss_history(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?,
                                _ capacity: Int64, _ count: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded("linreg_loss_history") {
        let history = try handle(model).model.lossHistory
        try copyOut(history, to: out, capacity: capacity, count: count)
    }
}

/// Copies min(capacity, values.count) values to `out` and the full length to `count`.
func copyOut(_ values: [Double], to out: UnsafeMutablePointer<Double>?, capacity: Int64,
             count: UnsafeMutablePointer<Int64>?) throws {
    let count = try required(count, "count")
    guard capacity >= 0 else { throw invalid("capacity = \(capacity) must be >= 0") }
    if capacity > 0 && out == nil { throw invalid("out is NULL but capacity is \(capacity)") }
    let copied = Int(min(capacity, Int64(values.count)))
    if let out, copied > 0 { out.update(from: values, count: copied) }
    count.pointee = Int64(values.count)
}
