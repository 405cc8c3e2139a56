/// One parameter update of `torch.optim.SGD` (no dampening, no Nesterov),
/// applied element by element to a flat parameter vector:
///
///     d_p = grad + weightDecay · p          (when weightDecay ≠ 0)
///     buf = momentum · buf + d_p            (when momentum ≠ 0; buf starts at 0,
///     d_p = buf                              so the first step sets buf = d_p)
///     p  -= learningRate · d_p
///
/// The trainers apply it to W and b alike, as torch does for every
/// parameter of `nn.Linear`; without an intercept b is not a parameter.
struct SGDOptimizer {
    let learningRate: Double
    let weightDecay: Double
    let momentum: Double

    /// Updates `count` parameters in place from their gradients; `buffer`
    /// holds the momentum buffers (zero before the first step). Returns
    /// false when a parameter became NaN or infinite.
    @inline(__always)
    func step(parameters: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
              buffer: UnsafeMutablePointer<Double>, count: Int) -> Bool {
        var finite = true
        for i in 0..<count {
            var g = gradient[i]
            if weightDecay != 0 { g += weightDecay * parameters[i] }
            if momentum != 0 {
                let b = momentum * buffer[i] + g
                buffer[i] = b
                g = b
            }
            let p = parameters[i] - learningRate * g
            parameters[i] = p
            finite = finite && p.isFinite
        }
        return finite
    }
}
