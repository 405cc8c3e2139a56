/// Re-typing of views to a concrete element type.
///
/// Public generic entry points (`CrossProducts.init`, `GradientTrainer.train`)
/// are called from other modules, where the compiler cannot specialize them;
/// run unspecialized, every element read goes through a witness table and is
/// an order of magnitude slower. Those entry points therefore test
/// `E.self == Float.self` / `Double.self` and call their internal generic
/// implementation with views re-typed by these helpers, which the whole-module
/// optimizer specializes for each concrete type.
extension MatrixView {
    /// The same memory viewed as `F` elements. Only valid when `F` is `Element`.
    @inline(__always)
    func reinterpreted<F: TrainingScalar>(as _: F.Type) -> MatrixView<F> {
        MatrixView<F>(base: UnsafeRawPointer(base).assumingMemoryBound(to: F.self), rows: rows, columns: columns)
    }
}

extension VectorView {
    /// The same memory viewed as `F` elements. Only valid when `F` is `Element`.
    @inline(__always)
    func reinterpreted<F: TrainingScalar>(as _: F.Type) -> VectorView<F> {
        VectorView<F>(base: UnsafeRawPointer(base).assumingMemoryBound(to: F.self), count: count)
    }
}
