extension QRAccumulator {
    /// F = R⁻¹ of the unscaled design √w·[X, 1] (p × p, row-major, rows in
    /// the solver's parameter order: features, then the intercept), so that
    /// F·Fᵀ = (XᵀWX)⁻¹; nil when R is singular or an entry is not finite.
    ///
    /// The robust covariances use it instead of (XᵀWX)⁻¹ itself: with
    /// zᵢ = Fᵀx̃ᵢ (the row's coordinates in an orthonormal basis of the
    /// design's column space) the sandwich (XᵀWX)⁻¹·M·(XᵀWX)⁻¹ is
    /// F·(Σ cᵢ zᵢzᵢᵀ)·Fᵀ, whose rounding grows with cond(X) instead of cond(X)²
    /// (as statsmodels' pinv(wexog) form), and the leverage is wᵢ‖zᵢ‖².
    func covarianceFactor() -> [Double]? {
        let p = parameterCount, d = features
        guard p >= 1, let inverse = TriangularSolve.inverse(r, size: p) else { return nil }
        let exponents = columnExponents.map { $0 ?? 0 }
        // R = R_stored·diag(2^e), so R⁻¹ = diag(2^−e)·R_stored⁻¹: row a scaled by 2^−e_a.
        func external(_ c: Int) -> Int { fitIntercept ? (c == 0 ? d : c &- 1) : c }
        var factor = [Double](repeating: 0, count: p &* p)
        for a in 0 ..< p {
            for l in a ..< p {
                factor[external(a) &* p &+ l] = PowerOfTwo.scale(inverse[a, l].value, by: -exponents[a])
            }
        }
        return factor.allSatisfy({ $0.isFinite }) ? factor : nil
    }
}
