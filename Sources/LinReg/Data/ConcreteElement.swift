/// Running generic code specialised for the element type of the caller's
/// data: the one place that turns a generic `E: TrainingScalar` into
/// `Float` or `Double`.
///
/// Public generic entry points (`LinearModel.fit`, `GradientTrainer.train`,
/// `CrossProducts.init`, ...) are called from other modules, where the
/// compiler cannot specialise them; run unspecialised, every element read
/// goes through a witness table and is an order of magnitude slower. So each
/// entry point describes its work as a ``SpecializedJob`` and runs it through
/// ``SpecializedJob/specialized(_:_:_:)``, which re-types the views to the
/// concrete type; the whole-module optimiser then specialises `run` for
/// `Float` and for `Double`.
///
/// Element types other than `Float` and `Double` (a caller's own conformance
/// to ``TrainingScalar``) are refused with ``EngineError/argument(_:)``
/// everywhere, by ``ConcreteElement/init(_:)``: there is no slow generic
/// fallback and no guessing.
enum ConcreteElement: Sendable {
    case float
    case double

    /// The concrete type of `E`, or ``EngineError/argument(_:)``.
    init<E: TrainingScalar>(_: E.Type) throws {
        if E.self == Float.self {
            self = .float
        } else if E.self == Double.self {
            self = .double
        } else {
            throw EngineError.argument("only Float and Double data are supported, not \(E.self)")
        }
    }

    /// The C name of the type ("float" or "double"), for messages.
    var name: String {
        switch self {
        case .float: return "float"
        case .double: return "double"
        }
    }
}

/// Work over a data set's views (X, Y and optional row weights), written
/// once generically and run specialised (see ``ConcreteElement``).
protocol SpecializedJob {
    associatedtype Output
    /// The work, for views of a concrete element type.
    func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) throws -> Output
}

extension SpecializedJob {
    /// Runs ``run(_:_:_:)`` with the views re-typed to `Float` or `Double`.
    @inline(__always)
    func specialized<E: TrainingScalar>(_ X: MatrixView<E>, _ Y: MatrixView<E>,
                                        _ sampleWeight: VectorView<E>?) throws -> Output {
        switch try ConcreteElement(E.self) {
        case .float:
            return try run(X.reinterpreted(as: Float.self), Y.reinterpreted(as: Float.self),
                           sampleWeight?.reinterpreted(as: Float.self))
        case .double:
            return try run(X.reinterpreted(as: Double.self), Y.reinterpreted(as: Double.self),
                           sampleWeight?.reinterpreted(as: Double.self))
        }
    }
}

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
