import LinReg

/// The object behind a `linreg_model *`: the engine's model plus the C
/// progress callback installed on it.
final class ModelHandle {
    var model: LinearModel
    var progress: ProgressCallback?

    init(model: LinearModel) {
        self.model = model
    }

    /// The handle an opaque pointer refers to (not retained).
    static func from(_ pointer: OpaquePointer) -> ModelHandle {
        Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// A +1 opaque pointer owning this handle; released by `release`.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func release(_ pointer: OpaquePointer) {
        Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}

/// Resolves a model argument or refuses it.
@inline(__always)
func handle(_ pointer: OpaquePointer?) throws -> ModelHandle {
    ModelHandle.from(try required(pointer, "model"))
}
