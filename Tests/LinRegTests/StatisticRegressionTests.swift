import Testing
@testable import LinReg

/// RegressionStatistics against statsmodels 0.15 `OLS(...).fit()` / `WLS(...).fit()`.
///
/// Each `LeastSquaresFit` below is built by hand from a fit computed in
/// 50-digit arithmetic (mpmath): weights, intercepts, (XᵀWX)⁻¹ (features
/// first, then the intercept), RSS, TSS (weighted-centred with an intercept,
/// uncentred Σwy² without), n and Σ log w; the condition number is
/// statsmodels' `condition_number`, passed through. The expected values are
/// statsmodels' results on the same data (the generator script is at the end
/// of this file). statsmodels itself agrees with the 50-digit values to about
/// 1e-12 even on Longley (condition number 4.9e9), so 1e-8 relative — the
/// brief's parity tolerance — leaves ample room; the observed worst error is
/// printed by `worstErrors`.
///
/// Cases: (a) Advertising sales ~ TV + radio + newspaper (OLS with const);
/// (b) Longley TOTEMP ~ all six regressors (OLS with const); (c) the
/// Advertising model as WLS with weights 1/TV; (d) the Advertising model
/// without an intercept (uncentred R²); (e) two outputs, sales and newspaper,
/// on TV + radio (checks the k×d-then-k layout and per-output scales).
struct StatisticRegressionTests {
    struct Expected {
        var r2, adjustedR2, f, fPValue, logLikelihood, aic, bic, dfModel, dfResid, scale, rss: [Double]
        var standardError, t, pValue, confidenceLow, confidenceHigh, confidenceLow90, confidenceHigh90: [Double]
    }

    struct Case {
        var name: String
        var fit: LeastSquaresFit
        var expected: Expected
        var d: Int
        var k: Int
        var intercept: Bool
    }

    static let cases: [Case] = [
        Case(name: "advertising", fit: advertisingFit, expected: advertisingExpected, d: 3, k: 1, intercept: true),
        Case(name: "longley", fit: longleyFit, expected: longleyExpected, d: 6, k: 1, intercept: true),
        Case(name: "advertisingWLS", fit: advertisingWLSFit, expected: advertisingWLSExpected, d: 3, k: 1, intercept: true),
        Case(name: "advertisingNoIntercept", fit: advertisingNoInterceptFit, expected: advertisingNoInterceptExpected,
             d: 3, k: 1, intercept: false),
        Case(name: "twoOutputs", fit: twoOutputsFit, expected: twoOutputsExpected, d: 2, k: 2, intercept: true),
    ]

    /// |actual − expected| / |expected|; 0 when both are equal (including both NaN), ∞ when only one is NaN.
    static func relativeError(_ actual: Double, _ expected: Double) -> Double {
        if actual == expected || (actual.isNaN && expected.isNaN) { return 0 }
        if actual.isNaN || expected.isNaN { return .infinity }
        return abs(actual - expected) / abs(expected)
    }

    /// (label, actual, expected) for every statistic of a case.
    static func comparisons(_ c: Case) -> [(String, [Double], [Double])] {
        let s = RegressionStatistics(fit: c.fit, nFeatures: c.d, nOutputs: c.k, fitIntercept: c.intercept)
        let e = c.expected
        let n = [Double](repeating: Double(c.fit.observationCount), count: c.k)
        return [
            ("rsquared", s.values(.r2), e.r2),
            ("rsquared_adj", s.values(.adjustedR2), e.adjustedR2),
            ("fvalue", s.values(.f), e.f),
            ("f_pvalue", s.values(.fPValue), e.fPValue),
            ("llf", s.values(.logLikelihood), e.logLikelihood),
            ("aic", s.values(.aic), e.aic),
            ("bic", s.values(.bic), e.bic),
            ("sigma", s.values(.sigma), e.scale.map { $0.squareRoot() }),
            ("scale", s.scales, e.scale),
            ("df_model", s.values(.dfModel), e.dfModel),
            ("df_resid", s.values(.dfResid), e.dfResid),
            ("nobs", s.values(.n), n),
            ("ssr", s.values(.rss), e.rss),
            ("bse", s.coefficientValues(.standardError, ciLevel: 0.95), e.standardError),
            ("tvalues", s.coefficientValues(.t, ciLevel: 0.95), e.t),
            ("pvalues", s.coefficientValues(.pValue, ciLevel: 0.95), e.pValue),
            ("conf_int low 95%", s.coefficientValues(.confidenceLow, ciLevel: 0.95), e.confidenceLow),
            ("conf_int high 95%", s.coefficientValues(.confidenceHigh, ciLevel: 0.95), e.confidenceHigh),
            ("conf_int low 90%", s.coefficientValues(.confidenceLow, ciLevel: 0.90), e.confidenceLow90),
            ("conf_int high 90%", s.coefficientValues(.confidenceHigh, ciLevel: 0.90), e.confidenceHigh90),
        ]
    }

    @Test("every statistic matches statsmodels to 1e-8", arguments: cases.map(\.name))
    func matchesStatsmodels(name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        for (label, actual, expected) in Self.comparisons(c) {
            #expect(actual.count == expected.count, "\(name) \(label): count")
            for (i, (a, e)) in zip(actual, expected).enumerated() {
                #expect(Self.relativeError(a, e) <= 1e-8, "\(name) \(label)[\(i)]: \(a) vs statsmodels \(e)")
            }
        }
    }

    @Test("pass-through values: rank and condition number")
    func passThrough() {
        for c in Self.cases {
            let s = RegressionStatistics(fit: c.fit, nFeatures: c.d, nOutputs: c.k, fitIntercept: c.intercept)
            #expect(s.values(.rank) == [Double](repeating: Double(c.fit.rank), count: c.k))
            #expect(s.values(.conditionNumber) == [Double](repeating: c.fit.conditionNumber, count: c.k))
        }
    }

    @Test("worst relative error against statsmodels (printed)")
    func worstErrors() {
        var worst = 0.0
        var at = ""
        for c in Self.cases {
            for (label, actual, expected) in Self.comparisons(c) {
                for (i, (a, e)) in zip(actual, expected).enumerated() where Self.relativeError(a, e) > worst {
                    worst = Self.relativeError(a, e)
                    at = "\(c.name) \(label)[\(i)]"
                }
            }
        }
        print("StatisticRegressionTests: worst relative error vs statsmodels \(worst) at \(at)")
        #expect(worst <= 1e-8)
    }
}

extension StatisticRegressionTests {
    // statsmodels 0.15.0, mpmath 1.3.0 (mp.dps = 50)
    // MARK: advertising
    static let advertisingFit = LeastSquaresFit(
        weights: [0.04576464545539758, 0.1885300169182044, -0.0010374930424762888],
        intercepts: [2.9388893694594147],
        rank: 4, centeredRank: 3, singularValues: [],
        conditionNumber: 454.37490123426034,
        unscaledCovariance: [6.848907501532507e-07, -1.5735588996420023e-07, -1.1495998732618631e-07, -9.35348332525179e-05, -1.5735588996420023e-07, 2.6101647418819726e-05, -6.265740159658164e-06, -0.0003926472972631656, -1.1495998732618631e-07, -6.265740159658164e-06, 1.2132847211205397e-05, -0.00020803683068047144, -9.35348332525179e-05, -0.0003926472972631656, -0.00020803683068047144, 0.03424449976667478],
        residualSumOfSquares: [556.8252629021873],
        totalSumOfSquares: [5417.14875],
        observationCount: 200, sumLogWeights: 0.0)
    static let advertisingExpected = Expected(
        r2: [0.8972106381789522],
        adjustedR2: [0.8956373316204668],
        f: [570.2707036590944],
        fPValue: [1.5752272560924122e-96],
        logLikelihood: [-386.1811179443831],
        aic: [780.3622358887662],
        bic: [793.5555053549584],
        dfModel: [3.0],
        dfResid: [196.0],
        scale: [2.8409452188887094],
        rss: [556.8252629021871],
        standardError: [0.0013948968069749752, 0.008611233967301946, 0.005871009647086363, 0.311908236321791],
        t: [32.80862442766961, 21.89349605806542, -0.1767145865602643, 9.422288440076356],
        pValue: [1.5099599548148803e-81, 1.505338920575954e-54, 0.8599150500805847, 1.2672945051313563e-17],
        confidenceLow: [0.04301371196239741, 0.17154744744191167, -0.012615953180270721, 2.3237622792333053],
        confidenceHigh: [0.04851557894839763, 0.20551258639449674, 0.010540967095318342, 3.554016459685525],
        confidenceLow90: [0.0434593482412738, 0.17429853142356083, -0.010740305548637792, 2.42340952560329],
        confidenceHigh90: [0.048069942669521235, 0.20276150241284757, 0.008665319463685412, 3.45436921331554],
    )
    // MARK: longley
    static let longleyFit = LeastSquaresFit(
        weights: [15.061872271373295, -0.035819179292591014, -2.020229803816825, -1.033226867173592, -0.051104105653580714, 1829.1514646135518],
        intercepts: [-3482258.6345958184],
        rank: 7, centeredRank: 6, singularValues: [],
        conditionNumber: 4859257015.4550705,
        unscaledCovariance: [0.0775861252995117, -1.9872521036700302e-05, -0.00024766709667913586, -6.829119205812731e-05, 0.00013616079751492172, 0.0775255245465719, -166.72779982930112, -1.9872521036700302e-05, 1.2069031668748675e-08, 1.664295467532817e-07, 3.618436004322957e-08, -6.788058144093126e-08, -0.00013158719036248357, 0.2618737081471084, -0.00024766709667913586, 1.664295467532817e-07, 2.56665052517987e-06, 6.965414091403742e-07, -9.008583076668093e-07, -0.0019726037064507515, 3.911883171931959, -6.829119205812731e-05, 3.618436004322957e-08, 6.965414091403742e-07, 4.940326025628087e-07, -9.846914373124012e-08, -0.0005769211121557187, 1.1285582053653438, 0.00013616079751492172, -6.788058144093126e-08, -9.008583076668093e-07, -9.846914373124012e-08, 5.499385426310199e-07, 0.0004300744341063581, -0.8895508692411541, 0.0775255245465719, -0.00013158719036248357, -0.0019726037064507515, -0.0005769211121557187, 0.0004300744341063581, 2.23229587472616, -4362.587098522138, -166.72779982930112, 0.2618737081471084, 3.911883171931959, 1.1285582053653438, -0.8895508692411541, -4362.587098522138, 8531122.567458304],
        residualSumOfSquares: [836424.0555059146],
        totalSumOfSquares: [185008826.0],
        observationCount: 16, sumLogWeights: 0.0)
    static let longleyExpected = Expected(
        r2: [0.9954790045772967],
        adjustedR2: [0.9924650076288277],
        f: [330.28533923466654],
        fPValue: [4.98403052871951e-10],
        logLikelihood: [-109.61743480847866],
        aic: [233.23486961695733],
        bic: [238.6429906726358],
        dfModel: [6.0],
        dfResid: [9.0],
        scale: [92936.00616730192],
        rss: [836424.0555057173],
        standardError: [84.9149257747556, 0.033491007772238186, 0.4883996816516339, 0.21427416316164286, 0.2260732000693417, 455.4784991421627, 890420.3836072757],
        t: [0.17737602822987392, -1.0695163172211815, -4.136427355941399, -4.821985310446093, -0.22605114466426326, 4.015889812710474, -3.9108029181550408],
        pValue: [0.8631408328093096, 0.31268106109265387, 0.002535091734108687, 0.0009443667641609634, 0.826211795763602, 0.0030368033416271387, 0.0035604036637224305],
        confidenceLow: [-177.0290352984806, -0.11158110241388912, -3.1250666419734956, -1.5179487001722727, -0.5625172145071606, 798.787515278648, -5496529.483274789],
        confidenceHigh: [207.152779841202, 0.03994274382870881, -0.9153929656602826, -0.5485050341748695, 0.46030900319998524, 2859.5154139486867, -1467987.7859173408],
        confidenceLow90: [-140.59677634188822, -0.09721197876757051, -2.9155215765576883, -1.4260156067992713, -0.46552181242767887, 994.2079372893163, -5114499.75528729],
        confidenceHigh90: [170.7205208846096, 0.025573620182390212, -1.12493803107609, -0.640438127547871, 0.3633136011205035, 2664.0949919380187, -1850017.51390484],
    )
    // MARK: advertisingWLS
    static let advertisingWLSFit = LeastSquaresFit(
        weights: [0.063093922633226, 0.0013503317207940809, 0.06460392998280737],
        intercepts: [2.739689287356616],
        rank: 4, centeredRank: 3, singularValues: [],
        conditionNumber: 205.5055646169176,
        unscaledCovariance: [5.289807594448974e-05, 6.29900516008238e-05, -3.9033936331883214e-05, -0.0030510230018248375, 6.29900516008238e-05, 0.0011126457445041263, -0.00015188845154345668, -0.030506005514199352, -3.9033936331883214e-05, -0.00015188845154345668, 0.000479807079404438, -0.005386844984335285, -0.0030510230018248375, -0.030506005514199352, -0.005386844984335285, 1.3229114236795427],
        residualSumOfSquares: [23.214775285024583],
        totalSumOfSquares: [128.12389794204142],
        observationCount: 200, sumLogWeights: -934.410315010196)
    static let advertisingWLSExpected = Expected(
        r2: [0.8188099514773887],
        adjustedR2: [0.816036634408165],
        f: [295.245704345881],
        fPValue: [2.0135660121396943e-72],
        logLikelihood: [-535.6400216605452],
        aic: [1079.2800433210905],
        bic: [1092.4733127872826],
        dfModel: [3.0],
        dfResid: [196.0],
        scale: [0.11844273104604379],
        rss: [23.214775285024583],
        standardError: [0.0025030766232671336, 0.011479756123970035, 0.00753854500947548, 0.39583991960464904],
        t: [25.206548631688623, 0.1176272131752493, 8.569814188494496, 6.9212051429601145],
        pValue: [2.0616353108520665e-63, 0.9064834935320945, 3.07177817082372e-15, 6.221991528758975e-11],
        confidenceLow: [0.0581575020435022, -0.02128936854591447, 0.04973685461826608, 1.9590370647248982],
        confidenceHigh: [0.06803034322294968, 0.023990031987502665, 0.0794710053473486, 3.520341509988332],
        confidenceLow90: [0.05895717535736853, -0.01762186011381135, 0.052145240048189205, 2.08549848317627],
        confidenceHigh90: [0.06723066990908336, 0.020322523555399544, 0.07706261991742547, 3.3938800915369605],
    )
    // MARK: advertisingNoIntercept
    static let advertisingNoInterceptFit = LeastSquaresFit(
        weights: [0.05379187695222012, 0.22222731066570012, 0.01681638814453554],
        intercepts: [0.0],
        rank: 3, centeredRank: 3, singularValues: [],
        conditionNumber: 12.623136926075029,
        unscaledCovariance: [4.2941132743759927e-07, -1.2298259136700898e-06, -6.83188181654098e-07, -1.2298259136700898e-06, 2.159955507994719e-05, -8.651089627585688e-06, -6.83188181654098e-07, -8.651089627585688e-06, 1.0869014385073924e-05],
        residualSumOfSquares: [809.0430142132101],
        totalSumOfSquares: [44743.25],
        observationCount: 200, sumLogWeights: 0.0)
    static let advertisingNoInterceptExpected = Expected(
        r2: [0.9819180990604569],
        adjustedR2: [0.9816427401629004],
        f: [3565.957402407903],
        fPValue: [2.429076871788342e-171],
        logLikelihood: [-423.54117851147646],
        aic: [853.0823570229529],
        bic: [862.977309122597],
        dfModel: [3.0],
        dfResid: [197.0],
        scale: [4.1068173310315235],
        rss: [809.0430142132101],
        standardError: [0.0013279735997609235, 0.009418355862086388, 0.006681096964410304, .nan],
        t: [40.50673670162148, 23.595127846068824, 2.517010041032963, .nan],
        pValue: [1.778939323754416e-97, 2.620209765873617e-59, 0.012632664797316923, .nan],
        confidenceLow: [0.05117300805872031, 0.20365356853741465, 0.0036407368983808266, .nan],
        confidenceHigh: [0.056410745845720076, 0.24080105279398548, 0.029992039390690346, .nan],
        confidenceLow90: [0.051597234290736496, 0.20666229824399898, 0.005775038808792907, .nan],
        confidenceHigh90: [0.05598651961370389, 0.23779232308740114, 0.027857737480278266, .nan],
    )
    // MARK: twoOutputs
    static let twoOutputsFit = LeastSquaresFit(
        weights: [0.04575481510107614, 0.18799422662030912, 0.00947510385031586, 0.5164278467029062],
        intercepts: [2.9210999124051407, 17.14657961639352],
        rank: 3, centeredRank: 2, singularValues: [],
        conditionNumber: 424.6435796842675,
        unscaledCovariance: [6.83801492334704e-07, -2.16724428676056e-07, -9.550600382790596e-05, -2.16724428676056e-07, 2.2865844720167535e-05, -0.0005000833097663786, -9.550600382790596e-05, -0.0005000833097663786, 0.030677379686269893],
        residualSumOfSquares: [556.9139800676184, 82420.88461119343],
        totalSumOfSquares: [5417.14875, 94387.3568],
        observationCount: 200, sumLogWeights: 0.0)
    static let twoOutputsExpected = Expected(
        r2: [0.8971942610828957, 0.12678045656223524],
        adjustedR2: [0.8961505479974429, 0.11791528353241021],
        f: [859.6177183058214, 14.300956804307017],
        fPValue: [4.827361851335321e-98, 1.5873018926055048e-06],
        logLikelihood: [-386.19704935134007, -885.9153837664165],
        aic: [778.3940987026801, 1777.830767532833],
        bic: [788.2890508023243, 1787.7257196324772],
        dfModel: [2.0, 2.0],
        dfResid: [197.0, 197.0],
        scale: [2.8269745181097368, 418.3801249299158],
        rss: [556.9139800676181, 82420.88461119341],
        standardError: [0.0013903558516709035, 0.008039972659093545, 0.0169141642947632, 0.0978090740711328, 0.2944896783513171, 3.5825697405164427],
        t: [32.908708260615, 23.38244600964852, 0.5601875259809623, 5.279958445647936, 9.91919285171128, 4.7861118856884435],
        pValue: [5.436980344580603e-82, 9.776971647628465e-59, 0.5759879990871284, 3.399349440343383e-07, 4.565556820366215e-19, 3.3312227022070364e-06],
        confidenceLow: [0.04301292347650523, 0.17213876510715426, -0.023880964929268535, 0.3235406224139127, 2.3403429920643313, 10.081468944071743],
        confidenceHigh: [0.04849670672564811, 0.20384968813345583, 0.042831172629906385, 0.7093150709918518, 3.5018568327459465, 24.211690288715275],
        confidenceLow90: [0.04345707795685197, 0.1747071650416819, -0.018477670626006883, 0.35478610421992035, 2.4344188431483653, 11.22593451343856],
        confidenceHigh90: [0.048052552245301375, 0.20128128819892818, 0.03742787832664474, 0.6780695891858441, 3.4077809816619125, 23.06722471934846],
    )
}

/* Generator (run in the project venv: python gen_stats.py > data):

# Generates the embedded reference data of Tests/LinRegTests/StatisticRegressionTests.swift
import csv, numpy as np, mpmath as mp, statsmodels.api as sm, statsmodels
mp.mp.dps = 50

def load_advertising():
    with open('../shared/data/Advertising.csv', newline='') as f:
        rows = list(csv.reader(f))[1:]
    return [[r[1], r[2], r[3], r[4]] for r in rows]  # TV, Radio, Newspaper, Sales as text

def exact_fit(Xs, Ys, w=None, intercept=True):
    """High-precision weighted least squares: X (n×d strings), Y (n×k strings)."""
    n, d, k = len(Xs), len(Xs[0]), len(Ys[0])
    X = [[mp.mpf(v) for v in row] + ([mp.mpf(1)] if intercept else []) for row in Xs]
    Y = [[mp.mpf(v) for v in row] for row in Ys]
    W = [mp.mpf(1)] * n if w is None else [mp.mpf(v) for v in w]
    p = len(X[0])
    XtWX = mp.matrix(p, p)
    for i in range(n):
        for a in range(p):
            for b in range(p):
                XtWX[a, b] += W[i] * X[i][a] * X[i][b]
    V = XtWX ** -1
    weights, intercepts, rss, tss = [], [], [], []
    for j in range(k):
        XtWy = mp.matrix(p, 1)
        for i in range(n):
            for a in range(p):
                XtWy[a] += W[i] * X[i][a] * Y[i][j]
        beta = V * XtWy
        weights += [beta[a] for a in range(d)]
        intercepts.append(beta[d] if intercept else mp.mpf(0))
        r = [Y[i][j] - sum(X[i][a] * beta[a] for a in range(p)) for i in range(n)]
        rss.append(sum(W[i] * r[i] ** 2 for i in range(n)))
        if intercept:
            ybar = sum(W[i] * Y[i][j] for i in range(n)) / sum(W)
            tss.append(sum(W[i] * (Y[i][j] - ybar) ** 2 for i in range(n)))
        else:
            tss.append(sum(W[i] * Y[i][j] ** 2 for i in range(n)))
    return dict(weights=weights, intercepts=intercepts, V=[V[a, b] for a in range(p) for b in range(p)],
                rss=rss, tss=tss, n=n, rank=p, sumlogw=sum(mp.log(x) for x in W))

def sm_results(Xs, y, w=None, intercept=True):
    X = np.array([[float(v) for v in row] for row in Xs])
    if intercept:
        X = sm.add_constant(X, prepend=False)   # features first, then the intercept (our layout)
    y = np.array([float(v) for v in y])
    res = (sm.OLS(y, X) if w is None else sm.WLS(y, X, weights=np.array([float(v) for v in w]))).fit()
    ci = res.conf_int(alpha=0.05)
    ci90 = res.conf_int(alpha=0.10)
    return dict(rsquared=res.rsquared, rsquared_adj=res.rsquared_adj, fvalue=res.fvalue, f_pvalue=res.f_pvalue,
                llf=res.llf, aic=res.aic, bic=res.bic, scale=res.scale, df_model=res.df_model, df_resid=res.df_resid,
                nobs=res.nobs, ssr=res.ssr, cond=res.condition_number,
                bse=list(res.bse), t=list(res.tvalues), p=list(res.pvalues),
                lo=list(ci[:, 0]), hi=list(ci[:, 1]), lo90=list(ci90[:, 0]), hi90=list(ci90[:, 1]))

def fmt(v):
    return repr(float(v))

def swift_array(vs):
    return "[" + ", ".join(fmt(v) for v in vs) + "]"

def emit(name, fit, refs, d, k, intercept):
    """refs: one statsmodels result per output."""
    print(f"    // MARK: {name}")
    print(f"    static let {name}Fit = LeastSquaresFit(")
    print(f"        weights: {swift_array(fit['weights'])},")
    print(f"        intercepts: {swift_array(fit['intercepts'])},")
    print(f"        rank: {fit['rank']}, centeredRank: {fit['rank'] - (1 if intercept else 0)}, singularValues: [],")
    print(f"        conditionNumber: {fmt(refs[0]['cond'])},")
    print(f"        unscaledCovariance: {swift_array(fit['V'])},")
    print(f"        residualSumOfSquares: {swift_array(fit['rss'])},")
    print(f"        totalSumOfSquares: {swift_array(fit['tss'])},")
    print(f"        observationCount: {fit['n']}, sumLogWeights: {fmt(fit['sumlogw'])})")
    print(f"    static let {name}Expected = Expected(")
    for key, sw in [('rsquared', 'r2'), ('rsquared_adj', 'adjustedR2'), ('fvalue', 'f'), ('f_pvalue', 'fPValue'),
                    ('llf', 'logLikelihood'), ('aic', 'aic'), ('bic', 'bic'), ('df_model', 'dfModel'),
                    ('df_resid', 'dfResid'), ('scale', 'scale'), ('ssr', 'rss')]:
        print(f"        {sw}: {swift_array([r[key] for r in refs])},")
    # coefficient layout: k*d weights (row-major) then k intercepts
    for key, sw in [('bse', 'standardError'), ('t', 't'), ('p', 'pValue'), ('lo', 'confidenceLow'),
                    ('hi', 'confidenceHigh'), ('lo90', 'confidenceLow90'), ('hi90', 'confidenceHigh90')]:
        vals = [r[key][i] for r in refs for i in range(d)]
        vals += [r[key][d] if intercept else float('nan') for r in refs]
        print(f"        {sw}: {swift_array(vals).replace('nan', '.nan')},")
    print("    )")

adv = load_advertising()
X3 = [r[:3] for r in adv]
sales = [r[3] for r in adv]
print(f"    // statsmodels {statsmodels.__version__}, mpmath {mp.__version__} (mp.dps = 50)")
# (a) Advertising OLS
fit = exact_fit(X3, [[s] for s in sales])
emit("advertising", fit, [sm_results(X3, sales)], 3, 1, True)
# (b) Longley
from statsmodels.datasets import longley
data = longley.load_pandas()
LX = [[repr(float(v)) for v in row] for row in data.exog.values]
Ly = [repr(float(v)) for v in data.endog.values]
fit = exact_fit(LX, [[v] for v in Ly])
emit("longley", fit, [sm_results(LX, Ly)], LX and len(LX[0]), 1, True)
# (c) WLS: Advertising with weights 1/TV
w = [repr(1.0 / float(r[0])) for r in adv]
fit = exact_fit(X3, [[s] for s in sales], w=w)
emit("advertisingWLS", fit, [sm_results(X3, sales, w=w)], 3, 1, True)
# (d) no intercept
fit = exact_fit(X3, [[s] for s in sales], intercept=False)
emit("advertisingNoIntercept", fit, [sm_results(X3, sales, intercept=False)], 3, 1, False)
# (e) two outputs sharing X = [TV, Radio]: Sales and Newspaper
X2 = [r[:2] for r in adv]
Y2 = [[r[3], r[2]] for r in adv]
fit = exact_fit(X2, Y2)
emit("twoOutputs", fit, [sm_results(X2, [r[0] for r in Y2]), sm_results(X2, [r[1] for r in Y2])], 2, 2, True)
*/
