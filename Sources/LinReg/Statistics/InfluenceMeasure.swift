/// The per-row influence and outlier measures of an exact, unpenalised fit
/// (`linreg_influence_measure` in C; raw values are the C enum's), with
/// statsmodels' `OLSInfluence` names and R's `lm.influence` definitions.
///
/// For row i with weight wᵢ (1 without weights), design row x̃ᵢ (the 1 of
/// the intercept included), residual eᵢ = yᵢ − b − W xᵢ and weighted
/// residual ẽᵢ = √wᵢ·eᵢ; r the rank of the (reduced) design, df = n − r,
/// s² = RSS/df (RSS = Σ wᵢ eᵢ²), C = (X_Kᵀ W X_K)⁻¹ of the kept columns:
///
/// | measure | definition (statsmodels attribute) |
/// |---|---|
/// | hat | hᵢ = wᵢ·x̃ᵢᵀ C x̃ᵢ (`hat_matrix_diag`) |
/// | internally studentized | ẽᵢ / (s √(1 − hᵢ)) (`resid_studentized_internal`) |
/// | externally studentized | ẽᵢ / (s₍ᵢ₎ √(1 − hᵢ)), s₍ᵢ₎² = (RSS − ẽᵢ²/(1 − hᵢ))/(df − 1) (`resid_studentized_external`) |
/// | Cook's distance | tᵢ² hᵢ / ((1 − hᵢ) r), tᵢ internally studentized (`cooks_distance[0]`) |
/// | its p-value | P(F(r, df) > Dᵢ) (`cooks_distance[1]`) |
/// | DFFITS | t₍ᵢ₎ √(hᵢ/(1 − hᵢ)), t₍ᵢ₎ externally studentized (`dffits[0]`) |
/// | PRESS residual | ẽᵢ / (1 − hᵢ) (`resid_press`) |
/// | DFBETAS | (β − β₍ᵢ₎)ⱼ / (s₍ᵢ₎ √Cⱼⱼ), β − β₍ᵢ₎ = C x̃ᵢ wᵢ eᵢ/(1 − hᵢ) (`dfbetas`) |
///
/// These are the closed forms of leaving row i out (no refits). Without
/// weights they are statsmodels' `OLSInfluence(OLS(y, X).fit())`; with
/// weights they are R's `lm.influence` of a weighted `lm` (weighted
/// residuals), which equal `OLSInfluence` of the whitened OLS fit
/// `OLS(√w·y, √w·X)`. A row of weight 0 has no influence: every measure is 0.
public enum InfluenceMeasure: Int, Sendable, CaseIterable {
    case hat = 1
    case residStudentizedInternal = 2
    case residStudentizedExternal = 3
    case cooksDistance = 4
    case cooksPValue = 5
    case dffits = 6
    case residPress = 7
    case dfbetas = 8

    /// Values per row: 1 for the hat diagonal (shared by the outputs),
    /// k·d + k for DFBETAS (the layout of the coefficient statistics), k for
    /// the rest.
    public func valuesPerRow(features d: Int, outputs k: Int) -> Int {
        switch self {
        case .hat: return 1
        case .dfbetas: return k &* d &+ k
        default: return k
        }
    }
}
