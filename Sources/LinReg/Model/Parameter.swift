/// The keys of the key/value parameter interface. The raw values are the
/// stable key numbers of the C interface and of the model format, and are
/// never reused.
public enum Parameter: Int, Sendable, CaseIterable {
    case solver = 1
    case fitIntercept = 2
    case learningRate = 3
    case epochs = 4
    case batchSize = 5
    case shuffle = 6
    case seed = 7
    case alpha = 8
    case weightDecay = 9
    case momentum = 10
    case ciLevel = 11
    case threads = 12
    case rcond = 13
    case covType = 14
    case useT = 15
}

extension Hyperparameters {
    /// The current value of `key`, as the C interface reports it.
    public func value(of key: Parameter) -> Double {
        switch key {
        case .solver: return Double(solver.rawValue)
        case .fitIntercept: return fitIntercept ? 1 : 0
        case .learningRate: return learningRate
        case .epochs: return Double(epochs)
        case .batchSize: return Double(batchSize)
        case .shuffle: return shuffle ? 1 : 0
        case .seed: return Double(seed)
        case .alpha: return alpha
        case .weightDecay: return weightDecay
        case .momentum: return momentum
        case .ciLevel: return ciLevel
        case .threads: return Double(threads)
        case .rcond: return rcond
        case .covType: return Double(covarianceType.rawValue)
        case .useT: return Double(useT)
        }
    }

    /// Sets `key` to `value` after checking its range; on error nothing
    /// changes. The error message calls the parameter `name` (the C layer
    /// passes the header's spelling), by default the key's Swift name.
    public mutating func set(_ key: Parameter, to value: Double, spelledAs name: String? = nil) throws {
        func refuse(_ rule: String) -> EngineError {
            .argument("\(name ?? "\(key)") = \(value) is out of range: \(rule)")
        }
        func integer(_ range: ClosedRange<Double>, _ rule: String) throws -> Int {
            guard value.isFinite, value.rounded(.towardZero) == value, range.contains(value) else {
                throw refuse(rule)
            }
            return Int(value)
        }
        func flag() throws -> Bool { try integer(0...1, "must be 0 or 1") == 1 }
        switch key {
        case .solver:
            let rule = "must be 0 (exact), 1 (gradient descent), 2 (stochastic gradient descent) or 5 (non-negative least squares)"
            guard let kind = SolverKind(rawValue: try integer(0...1024, rule)) else { throw refuse(rule) }
            solver = kind
        case .fitIntercept:
            fitIntercept = try flag()
        case .learningRate:
            guard value.isFinite, value > 0 else { throw refuse("must be finite and > 0") }
            learningRate = value
        case .epochs:
            epochs = try integer(0...2_147_483_647, "must be an integer from 0 to 2^31-1")
        case .batchSize:
            batchSize = try integer(1...2_147_483_647, "must be an integer from 1 to 2^31-1")
        case .shuffle:
            shuffle = try flag()
        case .seed:
            seed = UInt64(try integer(0...9_007_199_254_740_992, "must be an integer from 0 to 2^53"))
        case .alpha:
            guard value.isFinite, value >= 0 else { throw refuse("must be finite and >= 0") }
            alpha = value
        case .weightDecay:
            guard value.isFinite, value >= 0 else { throw refuse("must be finite and >= 0") }
            weightDecay = value
        case .momentum:
            guard value.isFinite, value >= 0, value < 1 else { throw refuse("must satisfy 0 <= momentum < 1") }
            momentum = value
        case .ciLevel:
            guard value.isFinite, value > 0, value < 1 else { throw refuse("must satisfy 0 < level < 1") }
            ciLevel = value
        case .threads:
            threads = try integer(0...1024, "must be an integer from 0 (all cores) to 1024")
        case .rcond:
            guard value.isFinite, value >= 0 || value == -1 else { throw refuse("must be finite and >= 0, or -1 for the default rule") }
            rcond = value
        case .covType:
            let raw = try integer(0...5, "must be 0 (nonrobust), 1 (HC0), 2 (HC1), 3 (HC2), 4 (HC3) or 5 (cluster)")
            covarianceType = CovarianceType(rawValue: raw) ?? .nonrobust
        case .useT:
            useT = try integer(-1...1, "must be -1 (t for nonrobust, normal for robust covariances), 0 (normal) or 1 (t)")
        }
    }
}
