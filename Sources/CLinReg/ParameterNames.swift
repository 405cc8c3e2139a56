import LinReg

extension Parameter {
    /// The key's name as include/linreg.h spells it, for error messages.
    var cName: String {
        switch self {
        case .solver: return "LINREG_PARAM_SOLVER"
        case .fitIntercept: return "LINREG_PARAM_FIT_INTERCEPT"
        case .learningRate: return "LINREG_PARAM_LEARNING_RATE"
        case .epochs: return "LINREG_PARAM_EPOCHS"
        case .batchSize: return "LINREG_PARAM_BATCH_SIZE"
        case .shuffle: return "LINREG_PARAM_SHUFFLE"
        case .seed: return "LINREG_PARAM_SEED"
        case .alpha: return "LINREG_PARAM_ALPHA"
        case .weightDecay: return "LINREG_PARAM_WEIGHT_DECAY"
        case .momentum: return "LINREG_PARAM_MOMENTUM"
        case .ciLevel: return "LINREG_PARAM_CI_LEVEL"
        case .threads: return "LINREG_PARAM_THREADS"
        case .rcond: return "LINREG_PARAM_RCOND"
        case .covType: return "LINREG_PARAM_COV_TYPE"
        case .useT: return "LINREG_PARAM_USE_T"
        }
    }
}
