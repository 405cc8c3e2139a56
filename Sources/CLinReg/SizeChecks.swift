import LinReg

/// Size arithmetic at the boundary: every extent the caller states is
/// checked for sign and overflow before any pointer is read.
enum SizeChecks {
    /// n_samples as an Int, refusing n < 1.
    static func sampleCount(_ n: Int64) throws -> Int {
        guard n >= 1 else { throw invalid("n_samples = \(n) must be at least 1") }
        guard let count = Int(exactly: n) else { throw invalid("n_samples = \(n) is too large") }
        return count
    }

    /// Element count rows·columns of a matrix named `name`, refusing sizes whose
    /// element or byte count overflows.
    static func elements(_ rows: Int, _ columns: Int, of name: String, elementSize: Int) throws -> Int {
        guard let count = MemoryReservation.product(rows, columns),
              MemoryReservation.product(count, elementSize) != nil else {
            throw invalid("\(name) of \(rows) x \(columns) elements overflows the address space")
        }
        return count
    }
}
