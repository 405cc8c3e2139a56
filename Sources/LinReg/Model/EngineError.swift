/// Every failure the engine reports. Each case carries a message that names
/// the argument, row or column at fault; the C-ABI layer maps cases to
/// `linreg_status` codes one to one.
public enum EngineError: Error, Equatable, Sendable {
    /// A bad size, shape, parameter or argument.
    case argument(String)
    /// NaN or infinity in the input.
    case nonFinite(String)
    /// The model has no weights yet.
    case notFitted(String)
    /// Gradient descent produced a non-finite loss or weight.
    case diverged(String)
    /// Memory for the operation could not be had.
    case noMemory(String)
    /// The model holds no such result (for example statistics after GD).
    case unavailable(String)
    /// A broken internal invariant: a bug.
    case `internal`(String)
    /// Bytes that are not a valid model (truncated, corrupted, wrong version).
    case format(String)
    /// The operating system refused a file operation.
    case io(String)
    /// A result is finite in exact arithmetic but too large for a double
    /// (or, for float32 output, a float).
    case overflow(String)

    /// The human-readable message.
    public var message: String {
        switch self {
        case .argument(let m), .nonFinite(let m), .notFitted(let m), .diverged(let m),
             .noMemory(let m), .unavailable(let m), .internal(let m), .format(let m), .io(let m), .overflow(let m):
            return m
        }
    }
}
