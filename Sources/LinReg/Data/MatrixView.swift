/// A read-only, row-major view of a `rows × columns` matrix in memory the
/// caller owns. The engine never copies the caller's data: kernels read it
/// through views like this one, block by block.
///
/// The creator guarantees that `base` addresses `rows * columns` readable
/// elements for the lifetime of every use of the view (the C-ABI layer
/// checks sizes before it makes one).
public struct MatrixView<Element: TrainingScalar>: @unchecked Sendable {
    public let base: UnsafePointer<Element>
    public let rows: Int
    public let columns: Int

    @inlinable
    public init(base: UnsafePointer<Element>, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    /// Element `(row, column)`.
    @inlinable @inline(__always)
    public subscript(row: Int, column: Int) -> Element {
        base[row &* columns &+ column]
    }

    /// A pointer to the first element of `row`.
    @inlinable @inline(__always)
    public func rowPointer(_ row: Int) -> UnsafePointer<Element> {
        base + row &* columns
    }

    /// The rows in `range`, as a view of the same memory.
    @inlinable
    public func rows(_ range: Range<Int>) -> MatrixView<Element> {
        MatrixView(base: base + range.lowerBound &* columns, rows: range.count, columns: columns)
    }

    /// Position of the first NaN or infinity, scanning row by row.
    public func firstNonFinite() -> (row: Int, column: Int)? {
        var index = 0
        let count = rows &* columns
        while index < count {
            if !base[index].isFinite { return (index / columns, index % columns) }
            index &+= 1
        }
        return nil
    }
}

/// A read-only view of `count` contiguous elements in memory the caller owns.
public struct VectorView<Element: TrainingScalar>: @unchecked Sendable {
    public let base: UnsafePointer<Element>
    public let count: Int

    @inlinable
    public init(base: UnsafePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }

    @inlinable @inline(__always)
    public subscript(index: Int) -> Element { base[index] }

    /// Elements `range`, as a view of the same memory.
    @inlinable
    public func slice(_ range: Range<Int>) -> VectorView<Element> {
        VectorView(base: base + range.lowerBound, count: range.count)
    }
}
