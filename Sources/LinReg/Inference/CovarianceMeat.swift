/// The "meat" of a sandwich covariance, accumulated over the rows by passes
/// that compute each row's residuals at fixed coefficients (docs/INFERENCE.md).
///
/// With x̃ᵢ the row's parameters' regressors (features, then 1 when an
/// intercept is fitted: the order of `LeastSquaresFit.unscaledCovariance`),
/// eᵢⱼ = yᵢⱼ − bⱼ − Wⱼ·xᵢ the residual of output j and wᵢ the row's weight,
/// the score of row i for output j is sᵢⱼ = wᵢ·eᵢⱼ·x̃ᵢ (statsmodels'
/// `wexog * wresid`). Kept per output j:
///
/// * `white`: Σᵢ (wᵢeᵢⱼ)² x̃ᵢx̃ᵢᵀ (HC0, HC1);
/// * `leverage`: Σᵢ (wᵢeᵢⱼ)²/(1 − hᵢ) x̃ᵢx̃ᵢᵀ (HC2), hᵢ = wᵢ·x̃ᵢᵀ(XᵀWX)⁺x̃ᵢ;
/// * `jackknife`: Σᵢ (wᵢeᵢⱼ)²/(1 − hᵢ)² x̃ᵢx̃ᵢᵀ (HC3);
/// * `cluster`: the score sums S_g = Σ_{i∈g} sᵢⱼ of every cluster g, for
///   one grouping (one-way) or for two groupings and their intersection
///   (two-way); the meat Σ_g S_g S_gᵀ is formed when the covariance is.
///
/// When `whitened` (a full-rank fit), every sum is kept in the coordinates
/// zᵢ = Fᵀx̃ᵢ, F = R⁻¹ (`QRAccumulator.covarianceFactor()`), for accuracy:
/// Σ cᵢ zᵢzᵢᵀ instead of Σ cᵢ x̃ᵢx̃ᵢᵀ, scores wᵢeᵢⱼzᵢ instead of wᵢeᵢⱼx̃ᵢ
/// (the covariance is then F·meat·Fᵀ).
///
/// Memory: k·p² doubles (HC), k·p per cluster (cluster): independent of n
/// for given groups. Accumulation is additive over disjoint row sets
/// (``merge(_:)``), so chunks and distributed parts may be summed in any order.
public struct CovarianceMeat: Sendable, Equatable {
    /// What is accumulated (the raw values are stored in the model format).
    public enum Kind: Int, Sendable {
        case white = 1, leverage = 2, jackknife = 3, cluster = 4

        /// Exponent a of the divisor (1 − hᵢ)^a of a row's squared score.
        var leveragePower: Int {
            switch self {
            case .white, .cluster: return 0
            case .leverage: return 1
            case .jackknife: return 2
            }
        }
    }

    /// A cluster label: one group's, or (two-way intersection) a pair.
    public struct ClusterKey: Hashable, Sendable {
        public var first: Int64
        public var second: Int64
    }

    /// The score sums of every cluster of one grouping, clusters in the order
    /// first seen; `sums[g·k·p + j·p + c]` for cluster g, output j, parameter c.
    public struct ClusterSums: Sendable, Equatable {
        public internal(set) var keys: [ClusterKey] = []
        var index = ClusterIndex()
        public internal(set) var sums: [Double] = []

        /// Adds `width` values to the sums of `key` (a new cluster starts at 0).
        mutating func add(_ key: ClusterKey, _ values: UnsafePointer<Double>, width: Int) {
            let (slot, inserted) = index.slot(for: key)
            if inserted {
                keys.append(key)
                sums.append(contentsOf: repeatElement(0, count: width))
            }
            sums.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress.map({ $0 + slot &* width }) else { return }
                for c in 0 ..< width { base[c] += values[c] }
            }
        }

        /// Adds every cluster of `other` (same width).
        mutating func add(_ other: ClusterSums, width: Int) {
            other.sums.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for (g, key) in other.keys.enumerated() { add(key, base + g &* width, width: width) }
            }
        }

        /// Rebuilds from stored keys and sums (the loader; keys must be distinct).
        init(keys: [ClusterKey], sums: [Double]) {
            self.keys = keys
            self.sums = sums
            for key in keys { _ = index.slot(for: key) }
        }

        init() {}

        public static func == (lhs: ClusterSums, rhs: ClusterSums) -> Bool {
            lhs.keys == rhs.keys && lhs.sums == rhs.sums
        }
    }

    public let kind: Kind
    public let featureCount: Int
    public let outputCount: Int
    /// Whether x̃ carries the intercept's 1 (p = d + 1) or not (p = d).
    public let fitIntercept: Bool
    /// The coefficients every residual is taken at (k × d, then k).
    public let weights: [Double]
    public let intercepts: [Double]
    /// Whether the sums are in the whitened coordinates zᵢ = Fᵀx̃ᵢ.
    public let whitened: Bool
    /// Cluster groupings: 0 before the first cluster pass (and for HC), 1 or 2.
    public internal(set) var ways: Int
    /// Rows seen (zero-weight rows included).
    public internal(set) var rowCount: Int = 0
    /// HC kinds: k blocks of p × p (row-major, symmetric); empty for clusters.
    public internal(set) var hc: [Double]
    /// Cluster kind: [grouping 1] (one-way) or [grouping 1, grouping 2, intersection].
    public internal(set) var clusters: [ClusterSums]

    /// p: parameters per output.
    public var parameterCount: Int { featureCount + (fitIntercept ? 1 : 0) }

    /// An empty accumulator at the given coefficients.
    public init(kind: Kind, featureCount: Int, outputCount: Int, fitIntercept: Bool, weights: [Double],
                intercepts: [Double], whitened: Bool) {
        self.kind = kind
        self.featureCount = featureCount
        self.outputCount = outputCount
        self.fitIntercept = fitIntercept
        self.weights = weights
        self.intercepts = intercepts
        self.whitened = whitened
        let p = featureCount + (fitIntercept ? 1 : 0)
        ways = 0
        hc = kind == .cluster ? [] : [Double](repeating: 0, count: outputCount * p * p)
        clusters = []
    }

    /// Rebuilds a stored accumulator (the loader checks the sizes).
    init(kind: Kind, featureCount: Int, outputCount: Int, fitIntercept: Bool, weights: [Double],
         intercepts: [Double], whitened: Bool, ways: Int, rowCount: Int, hc: [Double], clusters: [ClusterSums]) {
        self.init(kind: kind, featureCount: featureCount, outputCount: outputCount, fitIntercept: fitIntercept,
                  weights: weights, intercepts: intercepts, whitened: whitened)
        self.ways = ways
        self.rowCount = rowCount
        self.hc = hc
        self.clusters = clusters
    }

    /// Whether this accumulator was started at exactly these coefficients.
    func isTaken(at otherWeights: [Double], _ otherIntercepts: [Double]) -> Bool {
        // Bitwise: the pass must use the very coefficients the model holds.
        zip(weights, otherWeights).allSatisfy { $0.bitPattern == $1.bitPattern }
            && zip(intercepts, otherIntercepts).allSatisfy { $0.bitPattern == $1.bitPattern }
            && weights.count == otherWeights.count && intercepts.count == otherIntercepts.count
    }

    /// Fixes the number of cluster groupings at the first cluster pass;
    /// refuses a different number later.
    mutating func setWays(_ n: Int) throws {
        if ways == 0 {
            ways = n
            clusters = [ClusterSums](repeating: ClusterSums(), count: n == 2 ? 3 : 1)
        } else if ways != n {
            throw EngineError.argument("n_ways = \(n) but this covariance pass started with n_ways = \(ways)")
        }
    }

    /// Adds the rows of `other`, accumulated at the same coefficients, of
    /// the same kind and groupings.
    public mutating func merge(_ other: CovarianceMeat) throws {
        guard other.kind == kind, other.featureCount == featureCount, other.outputCount == outputCount,
              other.fitIntercept == fitIntercept, other.whitened == whitened else {
            throw EngineError.argument("cannot merge covariance passes of different kinds or shapes (\(other.kind) into \(kind))")
        }
        guard isTaken(at: other.weights, other.intercepts) else {
            throw EngineError.argument("cannot merge covariance passes taken at different coefficients: start every part's pass (linreg_cov_begin) on the final model")
        }
        var merged = self
        if kind == .cluster, other.ways != 0 {
            try merged.setWays(other.ways)
            let width = outputCount * parameterCount
            for g in 0 ..< merged.clusters.count { merged.clusters[g].add(other.clusters[g], width: width) }
        }
        for i in 0 ..< merged.hc.count { merged.hc[i] += other.hc[i] }
        let (rows, overflow) = merged.rowCount.addingReportingOverflow(other.rowCount)
        guard !overflow else { throw EngineError.argument("cannot merge: the row counts overflow") }
        merged.rowCount = rows
        self = merged
    }

    /// Number of clusters of each grouping (two-way: the two groupings and their intersection).
    public var clusterCounts: [Int] { clusters.map { $0.keys.count } }
}
