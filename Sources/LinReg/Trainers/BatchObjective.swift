/// The weighted squared error of a set of rows and its gradient, computed
/// directly from the data: one pass over the rows, O(rows·k·d). SGD uses it
/// for every mini-batch, GD for the full batch when the moments would cost
/// more (many features, few rows or epochs).
///
/// For rows R with weights wᵢ (1 without sample weights) and residuals
/// rᵢₒ = (wₒ·xᵢ + bₒ) − yᵢₒ it returns SSE = Σᵢ wᵢ Σₒ rᵢₒ² and
/// W_R = Σᵢ wᵢ, and stores the gradient of the batch loss
/// SSE / (W_R·k) (F.mse_loss when all weights are 1):
///
///     ∂/∂wₒ = (2 / (W_R·k)) Σᵢ wᵢ rᵢₒ xᵢ,   ∂/∂bₒ = (2 / (W_R·k)) Σᵢ wᵢ rᵢₒ
///
/// A batch whose weights sum to zero has a zero gradient.
struct BatchObjective<E: TrainingScalar> {
    let X: MatrixView<E>
    let Y: MatrixView<E>
    let sampleWeight: VectorView<E>?
    /// Scratch for one row of X widened to Double (d values).
    let row: UnsafeMutablePointer<Double>

    /// Evaluates rows `order[t]` for t in `positions` (or rows `positions`
    /// themselves when `order` is nil) at `parameters` (W then b) and writes
    /// the gradient (same layout) to `gradient`.
    @inline(__always)
    func evaluate(positions: Range<Int>, order: UnsafePointer<Int>?,
                  parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>)
        -> (sse: Double, weight: Double) {
        let d = X.columns, k = Y.columns
        let count = k * d + k
        for i in 0..<count { gradient[i] = 0 }
        let bias = parameters + k * d
        let gradientBias = gradient + k * d
        var sse = 0.0, weight = 0.0
        for t in positions {
            let index = order.map { $0[t] } ?? t
            let wi = sampleWeight.map { $0[index].asDouble } ?? 1
            weight += wi
            if wi == 0 { continue }
            let xr = X.rowPointer(index)
            for j in 0..<d { row[j] = xr[j].asDouble }
            let yr = Y.rowPointer(index)
            for o in 0..<k {
                let w = parameters + o * d
                var prediction = 0.0
                for j in 0..<d { prediction += w[j] * row[j] }
                let r = (prediction + bias[o]) - yr[o].asDouble
                let wr = wi * r
                sse += wr * r
                let gw = gradient + o * d
                for j in 0..<d { gw[j] += wr * row[j] }
                gradientBias[o] += wr
            }
        }
        let scale = weight > 0 ? 2 / (weight * Double(k)) : 0
        for i in 0..<count { gradient[i] *= scale }
        return (sse, weight)
    }
}
