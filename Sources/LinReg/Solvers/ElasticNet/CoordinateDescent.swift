/// Cyclic coordinate descent for one output of an ``ElasticNetProblem``
/// with covariance updates (glmnet's "covariance" variant, scikit-learn's
/// `enet_coordinate_descent_gram`): the solver keeps Qw up to date, so a
/// sweep costs O(d) per coordinate plus O(d) for each coordinate that moves,
/// and never touches the data.
///
/// **Update.** tⱼ = qⱼ − (Qw)ⱼ + wⱼQⱼⱼ; wⱼ ← sign(tⱼ)·max(|tⱼ| − λ₁, 0)/(Qⱼⱼ + λ₂)
/// (with `positive`, wⱼ ← 0 when tⱼ < 0). Coordinates with Qⱼⱼ = 0 (constant
/// columns) stay at zero.
///
/// **Duality gap** (scikit-learn's formulation A, in the units of F):
/// with ‖r‖² = yy + wᵀQw − 2qᵀw, rᵀy = yy − qᵀw, g = q − Qw − λ₂w and
/// ‖g‖ = max|gⱼ| (max gⱼ with `positive`), s = min(1, λ₁/‖g‖):
///
///     primal = ½(‖r‖² + λ₂‖w‖²) + λ₁‖w‖₁
///     dual   = −½s²(‖r‖² + λ₂‖w‖²) + s·rᵀy
///     gap    = primal − dual  (≥ 0, and 0 exactly at the minimiser)
///
/// For λ₁ = 0 the gap is formulation B (λ₂ > 0) or ‖g‖² (λ₂ = 0), also as
/// scikit-learn.
///
/// **Stopping.** As scikit-learn: after each sweep in which the largest
/// coordinate change is at most tol times the largest |wⱼ| (or w = 0, or on
/// the last allowed sweep) the gap is computed, and the solver stops when
/// gap ≤ tol·yy. The gap is also checked before the first sweep, so a warm
/// start that is already optimal costs no sweep. It never stops on the
/// iteration count alone without reporting: the caller gets the gap.
struct CoordinateDescent {
    /// λ₁ = alpha·l1_ratio.
    var l1: Double
    /// λ₂ = alpha·(1 − l1_ratio).
    var l2: Double
    var positive: Bool
    var tolerance: Double
    var maxIterations: Int

    /// The outcome for one output.
    struct Outcome {
        var gap: Double
        var iterations: Int
    }

    /// Minimises output j's objective starting from (and overwriting) `w`.
    func solve(_ problem: ElasticNetProblem, output j: Int, weights w: inout [Double]) -> Outcome {
        let d = problem.features
        let q = problem.correlation[(j &* d) ..< (j &* d &+ d)]
        let yy = problem.targetSquares[j]
        let threshold = tolerance * yy
        var qw = [Double](repeating: 0, count: d)
        return problem.gram.withUnsafeBufferPointer { gram in
            q.withUnsafeBufferPointer { q in
                qw.withUnsafeMutableBufferPointer { qw in
                    w.withUnsafeMutableBufferPointer { w in
                        for i in 0 ..< d where w[i] != 0 {
                            let row = i &* d
                            for c in 0 ..< d { qw[c] += w[i] * gram[row &+ c] }
                        }
                        var gap = dualityGap(gram: gram, q: q, yy: yy, qw: qw, w: w)
                        if gap >= 0 && gap <= threshold { return Outcome(gap: gap, iterations: 0) }
                        var iteration = 0
                        while iteration < maxIterations {
                            var wMax = 0.0, dwMax = 0.0
                            for i in 0 ..< d {
                                let diagonal = gram[i &* d &+ i]
                                if diagonal == 0 { continue }
                                let old = w[i]
                                let t = q[i] - qw[i] + old * diagonal
                                var new = 0.0
                                if !(positive && t < 0) {
                                    let shrunk = abs(t) - l1
                                    if shrunk > 0 { new = (t < 0 ? -shrunk : shrunk) / (diagonal + l2) }
                                }
                                if new != old {
                                    let delta = new - old
                                    let row = i &* d
                                    for c in 0 ..< d { qw[c] += delta * gram[row &+ c] }
                                    w[i] = new
                                }
                                dwMax = max(dwMax, abs(new - old))
                                wMax = max(wMax, abs(new))
                            }
                            iteration &+= 1
                            if wMax == 0 || dwMax / wMax <= tolerance || iteration == maxIterations {
                                gap = dualityGap(gram: gram, q: q, yy: yy, qw: qw, w: w)
                                if gap <= threshold { break }
                            }
                        }
                        return Outcome(gap: gap, iterations: iteration)
                    }
                }
            }
        }
    }

    /// The duality gap at w (see the type's documentation); O(d) given Qw.
    func dualityGap(gram: UnsafeBufferPointer<Double>, q: UnsafeBufferPointer<Double>, yy: Double,
                    qw: UnsafeMutableBufferPointer<Double>, w: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = w.count
        var qDotW = 0.0, wQw = 0.0, l1Norm = 0.0, l2Norm = 0.0
        for i in 0 ..< d {
            qDotW += q[i] * w[i]
            wQw += w[i] * qw[i]
            l1Norm += abs(w[i])
            l2Norm += w[i] * w[i]
        }
        let residualNorm = yy + wQw - 2 * qDotW
        let residualDotY = yy - qDotW
        if l1 == 0 {
            var gradientNorm = 0.0
            for i in 0 ..< d { let g = q[i] - qw[i]; gradientNorm += g * g }
            if l2 == 0 { return gradientNorm }
            return residualNorm + 0.5 * l2 * l2Norm - residualDotY + gradientNorm / (2 * l2)
        }
        var dualNorm = positive ? -Double.infinity : 0.0
        for i in 0 ..< d {
            let g = q[i] - qw[i] - l2 * w[i]
            dualNorm = positive ? max(dualNorm, g) : max(dualNorm, abs(g))
        }
        if d == 0 { dualNorm = 0 }
        let primal = 0.5 * (residualNorm + l2 * l2Norm) + l1 * l1Norm
        let scale = dualNorm > l1 ? l1 / dualNorm : 1.0
        let dual = -0.5 * scale * scale * (residualNorm + l2 * l2Norm) + scale * residualDotY
        return primal - dual
    }
}
