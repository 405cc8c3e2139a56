@testable import LinReg

/// A dense data set held as doubles (X n × d, Y n × k, row-major; optional
/// row weights), lent to a test as views of any element type.
protocol DenseData {
    var n: Int { get }
    var d: Int { get }
    var k: Int { get }
    var x: [Double] { get }
    var y: [Double] { get }
    var w: [Double]? { get }
}

extension DenseData {
    /// Calls `body` with views of the data rounded to `E` (weights too).
    func withViews<E: TrainingScalar, R>(as _: E.Type,
                                         _ body: (MatrixView<E>, MatrixView<E>, VectorView<E>?) throws -> R) rethrows -> R {
        let xe = x.map { E(roundingFrom: $0) }, ye = y.map { E(roundingFrom: $0) }
        let we = (w ?? [1]).map { E(roundingFrom: $0) }
        return try xe.withUnsafeBufferPointer { xp in
            try ye.withUnsafeBufferPointer { yp in
                try we.withUnsafeBufferPointer { wp in
                    try body(MatrixView(base: xp.baseAddress!, rows: n, columns: d),
                             MatrixView(base: yp.baseAddress!, rows: n, columns: k),
                             w == nil ? nil : VectorView(base: wp.baseAddress!, count: n))
                }
            }
        }
    }
}
