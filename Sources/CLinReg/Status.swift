import LinReg

/// `linreg_status` codes. The raw values are the header's and are never reused.
enum Status: Int32, CaseIterable {
    case ok = 0
    case argument = 1
    case nonFinite = 2
    case notFitted = 3
    case diverged = 4
    case noMemory = 5
    case unavailable = 6
    case `internal` = 7
    case format = 8
    case io = 9
    case overflow = 10

    /// The static text `linreg_status_string` returns.
    var text: String {
        switch self {
        case .ok: return "ok"
        case .argument: return "invalid argument"
        case .nonFinite: return "non-finite value (NaN or infinity) in the input"
        case .notFitted: return "model is not fitted"
        case .diverged: return "gradient descent diverged"
        case .noMemory: return "out of memory"
        case .unavailable: return "result not available for this model"
        case .internal: return "internal error in liblinreg"
        case .format: return "invalid or corrupted model data"
        case .io: return "file input/output error"
        case .overflow: return "result too large to represent"
        }
    }

    /// The status an engine error maps to.
    init(_ error: EngineError) {
        switch error {
        case .argument: self = .argument
        case .nonFinite: self = .nonFinite
        case .notFitted: self = .notFitted
        case .diverged: self = .diverged
        case .noMemory: self = .noMemory
        case .unavailable: self = .unavailable
        case .internal: self = .internal
        case .format: self = .format
        case .io: self = .io
        case .overflow: self = .overflow
        }
    }
}
