import Testing
@testable import LinReg

/// RegressionStatistics in degenerate situations: it must never trap, must
/// always return k (or k·(d + 1)) values, and must report NaN (documented in
/// `RegressionStatistics`) where statsmodels gives nan/inf or the quantity is
/// undefined. Reference numbers come from statsmodels 0.15 (script and its
/// output at the end of this file); 1e-8 relative as in the parity tests.
struct StatisticEdgeCaseTests {
    static func close(_ a: Double, _ e: Double, _ tolerance: Double = 1e-8) -> Bool {
        if a == e || (a.isNaN && e.isNaN) { return true }
        return abs(a - e) <= tolerance * abs(e)
    }

    static func fit(weights: [Double], intercepts: [Double], rank: Int, covariance: [Double]?, rss: [Double],
                    tss: [Double], n: Int, conditionNumber: Double = 1, sumLogWeights: Double = 0) -> LeastSquaresFit {
        LeastSquaresFit(weights: weights, intercepts: intercepts, rank: rank, centeredRank: rank,
                        singularValues: [], conditionNumber: conditionNumber, unscaledCovariance: covariance,
                        residualSumOfSquares: rss, totalSumOfSquares: tss, observationCount: n,
                        sumLogWeights: sumLogWeights)
    }

    /// The inference statistics (ESTIMATE and ALIASED are the coefficients and
    /// the aliasing mask, which degenerate fits still have).
    static let allCoefficientKinds: [CoefficientStatisticKind] = [.standardError, .t, .pValue, .confidenceLow,
                                                                   .confidenceHigh]

    @Test("intercept-only model (d = 0, df_model = 0): F NaN, coefficient stats as statsmodels")
    func interceptOnly() {
        // y = [1, 2, 4], X = ones: mean 7/3, RSS = TSS = 14/3, (XᵀX)⁻¹ = 1/3.
        let f = Self.fit(weights: [], intercepts: [7.0 / 3], rank: 1, covariance: [1.0 / 3],
                         rss: [14.0 / 3], tss: [14.0 / 3], n: 3)
        let s = RegressionStatistics(fit: f, nFeatures: 0, nOutputs: 1, fitIntercept: true)
        #expect(s.values(.r2) == [0])              // statsmodels: -2.2e-16 (its RSS and TSS round differently)
        #expect(s.values(.adjustedR2) == [0])
        #expect(s.values(.f)[0].isNaN)
        #expect(s.values(.fPValue)[0].isNaN)
        #expect(s.values(.dfModel) == [0])
        #expect(s.values(.dfResid) == [2])
        #expect(Self.close(s.values(.logLikelihood)[0], -4.919564728032577))
        #expect(Self.close(s.values(.aic)[0], 11.839129456065153))
        #expect(Self.close(s.values(.bic)[0], 10.937741744733263))
        #expect(Self.close(s.values(.sigma)[0], 2.3333333333333335.squareRoot()))
        #expect(Self.close(s.coefficientValues(.standardError, ciLevel: 0.95)[0], 0.881917103688197))
        #expect(Self.close(s.coefficientValues(.t, ciLevel: 0.95)[0], 2.6457513110645903))
        #expect(Self.close(s.coefficientValues(.pValue, ciLevel: 0.95)[0], 0.11808289631180315))
        #expect(Self.close(s.coefficientValues(.confidenceLow, ciLevel: 0.95)[0], -1.4612497002634264))
        #expect(Self.close(s.coefficientValues(.confidenceHigh, ciLevel: 0.95)[0], 6.127916366930093))
    }

    @Test("rank-deficient design (duplicated column, pinv covariance) matches statsmodels")
    func rankDeficient() {
        // Advertising sales ~ TV + TV + radio + const: rank 3 of 4, df_model 2, df_resid 197.
        let f = Self.fit(
            weights: [0.022877407550526335, 0.022877407550550254, 0.18799422662030535],
            intercepts: [2.921099912405141], rank: 3,
            covariance: [1.7095037308406017e-07, 1.7095037308366812e-07, -1.0836221433595195e-07, -4.77530019140763e-05,
                         1.7095037308366812e-07, 1.7095037308327619e-07, -1.083622143400612e-07, -4.775300191382444e-05,
                         -1.0836221433595195e-07, -1.083622143400612e-07, 2.2865844720168968e-05, -0.0005000833097664216,
                         -4.77530019140763e-05, -4.775300191382444e-05, -0.0005000833097664216, 0.0306773796862699],
            rss: [556.9139800676184], tss: [5417.14875], n: 200, conditionNumber: 5495461052224290.0)
        let s = RegressionStatistics(fit: f, nFeatures: 3, nOutputs: 1, fitIntercept: true)
        let expected: [(StatisticKind, Double)] = [
            (.r2, 0.8971942610828956), (.adjustedR2, 0.8961505479974428), (.f, 859.6177183058211),
            (.fPValue, 4.82736185133545e-98), (.logLikelihood, -386.1970493513401), (.aic, 778.3940987026803),
            (.bic, 788.2890508023244), (.dfModel, 2), (.dfResid, 197), (.rank, 3),
            (.conditionNumber, 5495461052224290.0), (.n, 200), (.rss, 556.9139800676184),
        ]
        for (kind, value) in expected {
            #expect(Self.close(s.values(kind)[0], value), "\(kind): \(s.values(kind)[0]) vs \(value)")
        }
        let coefficientExpected: [(CoefficientStatisticKind, [Double])] = [
            (.standardError, [0.0006951779258362502, 0.0006951779258346561, 0.008039972659093546, 0.2944896783513173]),
            (.t, [32.90870826055995, 32.90870826066981, 23.38244600964855, 9.919192851711282]),
            (.pValue, [5.436980346098037e-82, 5.436980343069805e-82, 9.776971647626657e-59, 4.565556820366215e-19]),
            (.confidenceLow, [0.02150646173823904, 0.021506461738266102, 0.17213876510715456, 2.3403429920643335]),
            (.confidenceHigh, [0.02424835336281363, 0.024248353362834405, 0.20384968813345614, 3.5018568327459487]),
        ]
        for (kind, values) in coefficientExpected {
            let actual = s.coefficientValues(kind, ciLevel: 0.95)
            for (a, e) in zip(actual, values) {
                #expect(Self.close(a, e), "\(kind): \(a) vs \(e)")
            }
        }
    }

    @Test("perfect fit with n == rank: df_resid = 0 gives NaN inference, infinite likelihood")
    func perfectFitNoResidualDegreesOfFreedom() {
        // y = 1 + 2x on x = [0, 1]. statsmodels: rsquared 1, rsquared_adj nan, fvalue nan, scale inf, bse inf
        // (its RSS is 1e-30-ish, so its llf is a large finite number; ours, with RSS exactly 0, is +inf).
        let f = Self.fit(weights: [2], intercepts: [1], rank: 2, covariance: [2, -1, -1, 1], rss: [0], tss: [2], n: 2)
        let s = RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: true)
        #expect(s.values(.r2) == [1])
        #expect(s.values(.dfResid) == [0])
        #expect(s.values(.dfModel) == [1])
        for kind in [StatisticKind.adjustedR2, .f, .fPValue, .sigma] {
            #expect(s.values(kind)[0].isNaN, "\(kind)")
        }
        #expect(s.values(.logLikelihood) == [.infinity])
        #expect(s.values(.aic) == [-.infinity])
        #expect(s.values(.bic) == [-.infinity])
        #expect(s.scales[0].isNaN)
        for kind in Self.allCoefficientKinds {
            let values = s.coefficientValues(kind, ciLevel: 0.95)
            #expect(values.count == 2)
            #expect(values.allSatisfy { $0.isNaN }, "\(kind)")
        }
    }

    @Test("exact fit with residual degrees of freedom left: F = +inf, p-value 0, zero standard errors")
    func zeroResidualsWithDegreesOfFreedom() {
        let f = Self.fit(weights: [2], intercepts: [1], rank: 2, covariance: [0.5, -0.5, -0.5, 0.8], rss: [0], tss: [8], n: 4)
        let s = RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: true)
        #expect(s.values(.f) == [.infinity])
        #expect(s.values(.fPValue) == [0])
        #expect(s.values(.sigma) == [0])
        #expect(s.values(.adjustedR2) == [1])
        #expect(s.coefficientValues(.standardError, ciLevel: 0.95) == [0, 0])
        #expect(s.coefficientValues(.pValue, ciLevel: 0.95) == [0, 0])
        #expect(s.coefficientValues(.confidenceLow, ciLevel: 0.95) == [2, 1])
    }

    @Test("constant response (TSS = 0): R², adjusted R², F and its p-value are NaN")
    func constantResponse() {
        let f = Self.fit(weights: [0], intercepts: [5], rank: 2, covariance: [0.5, -0.5, -0.5, 0.8], rss: [0], tss: [0], n: 4)
        let s = RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: true)
        for kind in [StatisticKind.r2, .adjustedR2, .f, .fPValue] {
            #expect(s.values(kind)[0].isNaN, "\(kind)")
        }
        #expect(s.values(.rss) == [0])
    }

    @Test("no covariance (penalised fit): coefficient statistics NaN, per-output statistics still computed")
    func missingCovariance() {
        let f = Self.fit(weights: [1, 2, 3, 4], intercepts: [0.5, 0.25], rank: 3, covariance: nil,
                         rss: [1, 2], tss: [10, 20], n: 10)
        let s = RegressionStatistics(fit: f, nFeatures: 2, nOutputs: 2, fitIntercept: true)
        for kind in Self.allCoefficientKinds {
            let values = s.coefficientValues(kind, ciLevel: 0.95)
            #expect(values.count == 6)
            #expect(values.allSatisfy { $0.isNaN }, "\(kind)")
        }
        #expect(s.values(.r2) == [0.9, 0.9])
        #expect(s.values(.dfResid) == [7, 7])
    }

    @Test("no intercept: the k intercept entries are NaN for every coefficient statistic")
    func interceptEntriesWithoutIntercept() {
        let f = Self.fit(weights: [1, 2, 3, 4], intercepts: [0, 0], rank: 2, covariance: [0.5, 0.1, 0.1, 0.2],
                         rss: [1, 2], tss: [10, 20], n: 10)
        let s = RegressionStatistics(fit: f, nFeatures: 2, nOutputs: 2, fitIntercept: false)
        for kind in Self.allCoefficientKinds {
            let values = s.coefficientValues(kind, ciLevel: 0.95)
            #expect(values.count == 6)
            #expect(values[0..<4].allSatisfy { $0.isFinite }, "\(kind)")
            #expect(values[4..<6].allSatisfy { $0.isNaN }, "\(kind)")
        }
        // Layout: output j, feature i at j*d + i; variance V_ii times that output's scale RSS_j/8.
        let se = s.coefficientValues(.standardError, ciLevel: 0.95)
        #expect(Self.close(se[0], (0.5 * 1.0 / 8).squareRoot(), 1e-15))
        #expect(Self.close(se[1], (0.2 * 1.0 / 8).squareRoot(), 1e-15))
        #expect(Self.close(se[2], (0.5 * 2.0 / 8).squareRoot(), 1e-15))
        #expect(Self.close(se[3], (0.2 * 2.0 / 8).squareRoot(), 1e-15))
        #expect(s.values(.dfModel) == [2, 2])
    }

    @Test("confidence level outside (0, 1) gives NaN bounds; other statistics unaffected")
    func invalidConfidenceLevel() {
        let f = Self.fit(weights: [2], intercepts: [1], rank: 2, covariance: [0.5, -0.5, -0.5, 0.8], rss: [3], tss: [8], n: 10)
        let s = RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: true)
        for level in [0.0, 1.0, -0.5, 1.5, .nan, .infinity] {
            #expect(s.coefficientValues(.confidenceLow, ciLevel: level).allSatisfy { $0.isNaN })
            #expect(s.coefficientValues(.confidenceHigh, ciLevel: level).allSatisfy { $0.isNaN })
            #expect(s.coefficientValues(.standardError, ciLevel: level).allSatisfy { $0.isFinite })
        }
    }

    @Test("equality compares the source fit, so statistics holding NaN still equal themselves")
    func equality() {
        let f = Self.fit(weights: [2], intercepts: [1], rank: 2, covariance: [2, -1, -1, 1], rss: [0], tss: [2], n: 2)
        let a = RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: true)
        let b = RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: true)
        #expect(a.values(.f)[0].isNaN)
        #expect(a == b)
        #expect(a != RegressionStatistics(fit: f, nFeatures: 1, nOutputs: 1, fitIntercept: false))
        var g = f
        g.residualSumOfSquares = [1]
        #expect(a != RegressionStatistics(fit: g, nFeatures: 1, nOutputs: 1, fitIntercept: true))
    }

    @Test("arrays shorter than the shapes promise, or n = 0: right counts, NaN entries, no trap")
    func inconsistentInputs() {
        let f = Self.fit(weights: [1], intercepts: [], rank: 2, covariance: [1, 0, 0], rss: [], tss: [1], n: 0)
        let s = RegressionStatistics(fit: f, nFeatures: 2, nOutputs: 3, fitIntercept: true)
        for kind in StatisticKind.allCases {
            #expect(s.values(kind).count == 3, "\(kind)")
        }
        for kind in [StatisticKind.r2, .adjustedR2, .f, .fPValue, .logLikelihood, .aic, .bic, .sigma] {
            #expect(s.values(kind).allSatisfy { $0.isNaN }, "\(kind)")
        }
        #expect(s.values(.n) == [0, 0, 0])
        for kind in Self.allCoefficientKinds {
            let values = s.coefficientValues(kind, ciLevel: 0.95)
            #expect(values.count == 9)
            #expect(values.allSatisfy { $0.isNaN }, "\(kind)")
        }
        // Negative shapes are clamped to zero.
        let empty = RegressionStatistics(fit: f, nFeatures: -1, nOutputs: -2, fitIntercept: false)
        #expect(empty.values(.r2).isEmpty)
        #expect(empty.coefficientValues(.t, ciLevel: 0.95).isEmpty)
    }
}

/* Generator (python, project venv):

# Reference values of Tests/LinRegTests/StatisticEdgeCaseTests.swift (statsmodels 0.15, numpy).
import csv, numpy as np, statsmodels.api as sm, warnings
warnings.simplefilter("ignore")
r = lambda v: repr(float(v)).replace('nan', '.nan').replace('inf', '.infinity')
arr = lambda vs: "[" + ", ".join(r(v) for v in vs) + "]"
# 1. intercept only: y = [1, 2, 4]
res = sm.OLS(np.array([1., 2., 4.]), np.ones((3, 1))).fit()
print("interceptOnly", "rsq", r(res.rsquared), "adj", r(res.rsquared_adj), "F", r(res.fvalue), "Fp", r(res.f_pvalue),
      "llf", r(res.llf), "aic", r(res.aic), "bic", r(res.bic), "scale", r(res.scale), "dfm", res.df_model, "dfr", res.df_resid,
      "bse", arr(res.bse), "t", arr(res.tvalues), "p", arr(res.pvalues), "ci", arr(res.conf_int()[0]), "ssr", r(res.ssr),
      "tss", r(res.centered_tss))
# 2. rank deficient: Advertising sales ~ TV + TV + radio + const (duplicated column; statsmodels uses pinv)
rows = list(csv.reader(open('../shared/data/Advertising.csv', newline='')))[1:]
TV = np.array([float(x[1]) for x in rows]); RA = np.array([float(x[2]) for x in rows]); y = np.array([float(x[4]) for x in rows])
X = np.column_stack([TV, TV, RA, np.ones_like(TV)])
res = sm.OLS(y, X).fit()
V = res.normalized_cov_params  # statsmodels' own (XᵀX)⁺ = pinv(X) pinv(X)ᵀ
print("rankDeficient weights", arr(res.params[:3]), "intercept", r(res.params[3]), "rank", np.linalg.matrix_rank(X),
      "cond", r(res.condition_number))
print("  V", arr(V.ravel()))
print("  ssr", r(res.ssr), "tss", r(res.centered_tss))
print("  rsq", r(res.rsquared), "adj", r(res.rsquared_adj), "F", r(res.fvalue), "Fp", r(res.f_pvalue), "llf", r(res.llf),
      "aic", r(res.aic), "bic", r(res.bic), "dfm", res.df_model, "dfr", res.df_resid)
print("  bse", arr(res.bse)); print("  t", arr(res.tvalues)); print("  p", arr(res.pvalues))
ci = res.conf_int(); print("  lo", arr(ci[:, 0])); print("  hi", arr(ci[:, 1]))
# 3. perfect fit n == rank: y = 1 + 2x on x = [0, 1]
res = sm.OLS(np.array([1., 3.]), np.column_stack([[0., 1.], [1., 1.]])).fit()
print("perfect", "rsq", r(res.rsquared), "adj", r(res.rsquared_adj), "F", r(res.fvalue), "llf", r(res.llf), "scale", r(res.scale),
      "bse", arr(res.bse), "dfr", res.df_resid)

Output:
interceptOnly rsq -2.220446049250313e-16 adj -2.220446049250313e-16 F .nan Fp .nan llf -4.919564728032577 aic 11.839129456065153 bic 10.937741744733263 scale 2.3333333333333335 dfm 0.0 dfr 2.0 bse [0.881917103688197] t [2.6457513110645903] p [0.11808289631180315] ci [-1.4612497002634264, 6.127916366930093] ssr 4.666666666666667 tss 4.666666666666666
rankDeficient weights [0.022877407550526335, 0.022877407550550254, 0.18799422662030535] intercept 2.921099912405141 rank 3 cond 5495461052224290.0
  V [1.7095037308406017e-07, 1.7095037308366812e-07, -1.0836221433595195e-07, -4.77530019140763e-05, 1.7095037308366812e-07, 1.7095037308327619e-07, -1.083622143400612e-07, -4.775300191382444e-05, -1.0836221433595195e-07, -1.083622143400612e-07, 2.2865844720168968e-05, -0.0005000833097664216, -4.77530019140763e-05, -4.775300191382444e-05, -0.0005000833097664216, 0.0306773796862699]
  ssr 556.9139800676184 tss 5417.14875
  rsq 0.8971942610828956 adj 0.8961505479974428 F 859.6177183058211 Fp 4.82736185133545e-98 llf -386.1970493513401 aic 778.3940987026803 bic 788.2890508023244 dfm 2.0 dfr 197.0
  bse [0.0006951779258362502, 0.0006951779258346561, 0.008039972659093546, 0.2944896783513173]
  t [32.90870826055995, 32.90870826066981, 23.38244600964855, 9.919192851711282]
  p [5.436980346098037e-82, 5.436980343069805e-82, 9.776971647626657e-59, 4.565556820366215e-19]
  lo [0.02150646173823904, 0.021506461738266102, 0.17213876510715456, 2.3403429920643335]
  hi [0.02424835336281363, 0.024248353362834405, 0.20384968813345614, 3.5018568327459487]
perfect rsq 1.0 adj .nan F .nan llf 68.1099954286366 scale .infinity bse [.infinity, .infinity] dfr 0.0
*/
