/// The full-batch mean squared error and its gradient, evaluated from the
/// data's moments (``CrossProducts``) in O(k·d²) per call, without reading
/// the data again.
///
/// With N = Σ wᵢ, weighted means x̄, ȳ and centred co-moments Sxx, Sxy, Syy,
/// write each residual yᵢₒ − wₒ·xᵢ − bₒ as uᵢₒ + gₒ, where
/// uᵢₒ = (yᵢₒ − ȳₒ) − wₒ·(xᵢ − x̄) has weighted mean zero and
/// gₒ = ȳₒ − wₒ·x̄ − bₒ. The cross term vanishes, so per output
///
///     Σ wᵢ rᵢₒ² = (Syyₒ − 2 wₒ·Sxy[:,o] + wₒ Sxx wₒᵀ) + N gₒ²
///
/// and with L = Σₒ Σᵢ wᵢ rᵢₒ² / (N·k):
///
///     L       = (1/k) Σₒ [ (Syyₒ − 2 wₒ·Sxy[:,o] + wₒ Sxx wₒᵀ) / N + gₒ² ]
///     ∂L/∂wₒ  = (2/(N·k)) (Sxx wₒᵀ − Sxy[:,o]) − (2/k) gₒ x̄
///     ∂L/∂bₒ  = −(2/k) gₒ
///
/// Without an intercept b = 0 and the same formulas hold. The centred part
/// is a difference of large terms when the fit is nearly exact; it is
/// clamped at zero, and its absolute error is about ε·Syyₒ.
final class MomentObjective {
    private let d: Int
    private let k: Int
    private let weightSum: Double
    /// Sxx, d × d.
    private let sxx: UnsafeMutablePointer<Double>
    /// Sxy transposed, k × d (row o = Sxy[:, o]).
    private let sxyT: UnsafeMutablePointer<Double>
    private let syy: UnsafeMutablePointer<Double>
    private let meanX: UnsafeMutablePointer<Double>
    private let meanY: UnsafeMutablePointer<Double>
    /// Scratch: Sxx wₒᵀ.
    private let product: UnsafeMutablePointer<Double>

    init(_ moments: CrossProducts) {
        d = moments.features
        k = moments.outputs
        weightSum = moments.weightSum
        sxx = .allocate(capacity: max(1, d * d))
        sxyT = .allocate(capacity: max(1, k * d))
        syy = .allocate(capacity: max(1, k))
        meanX = .allocate(capacity: max(1, d))
        meanY = .allocate(capacity: max(1, k))
        product = .allocate(capacity: max(1, d))
        for i in 0..<(d * d) { sxx[i] = moments.sxx[i] }
        for j in 0..<d {
            for o in 0..<k { sxyT[o * d + j] = moments.sxy[j * k + o] }
        }
        for o in 0..<k {
            syy[o] = moments.syy[o]
            meanY[o] = moments.meanY[o]
        }
        for j in 0..<d { meanX[j] = moments.meanX[j] }
    }

    deinit {
        sxx.deallocate()
        sxyT.deallocate()
        syy.deallocate()
        meanX.deallocate()
        meanY.deallocate()
        product.deallocate()
    }

    /// The loss at `parameters` (W, k × d row-major, then b, k values) and
    /// its gradient in the same layout, written to `gradient`.
    func evaluate(parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) -> Double {
        let n = weightSum
        let scaleW = 2 / (n * Double(k))
        let scaleB = 2 / Double(k)
        var total = 0.0
        for o in 0..<k {
            let w = parameters + o * d
            let sxyO = sxyT + o * d
            var quadratic = 0.0, linear = 0.0, atMean = 0.0
            for r in 0..<d {
                let row = sxx + r * d
                var s = 0.0
                for c in 0..<d { s += row[c] * w[c] }
                product[r] = s
                quadratic += w[r] * s
                linear += w[r] * sxyO[r]
                atMean += w[r] * meanX[r]
            }
            let g = meanY[o] - atMean - parameters[k * d + o]
            let difference = syy[o] - 2 * linear + quadratic
            let centred = difference < 0 ? 0 : difference   // NaN stays NaN
            total += centred / n + g * g
            let gw = gradient + o * d
            for r in 0..<d { gw[r] = scaleW * (product[r] - sxyO[r]) - scaleB * g * meanX[r] }
            gradient[k * d + o] = -scaleB * g
        }
        return total / Double(k)
    }
}
