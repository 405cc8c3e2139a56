import LinReg

/// Runs the body of an exported function: maps a thrown engine error to its
/// status and records its message for `linreg_last_error`.
@inline(__always)
func guarded(_ function: StaticString, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return Status.ok.rawValue
    } catch let error as EngineError {
        LastError.record("\(function): \(error.message)")
        return Status(error).rawValue
    } catch {
        LastError.record("\(function): unexpected error \(error)")
        return Status.internal.rawValue
    }
}

/// A refused argument.
func invalid(_ message: String) -> EngineError { .argument(message) }

/// Unwraps a pointer argument or refuses it by name.
@inline(__always)
func required<T>(_ pointer: T?, _ name: String) throws -> T {
    guard let pointer else { throw invalid("\(name) is NULL") }
    return pointer
}
