import LinRegPrefetch

/// Asks for the cache lines of up to two byte ranges (the next block's rows
/// of X, then of Y) one line per ``step()``, so that a kernel spreads the
/// requests over its arithmetic on the current block: the lines then arrive
/// while it computes, instead of stalling the next block's first loads.
/// Issuing them all at once would not help: each waiting request holds one
/// of the core's few line-fill buffers, and the loads behind them would wait.
///
/// A hint only: it reads nothing, changes no result (the kernels' bits do
/// not depend on it) and never faults, even past the ranges' ends.
public struct Prefetcher {
    @usableFromInline var cursor: UnsafeRawPointer?
    @usableFromInline var end: UnsafeRawPointer?
    @usableFromInline var nextStart: UnsafeRawPointer?
    @usableFromInline var nextEnd: UnsafeRawPointer?
    /// `burst` requests per `interval` steps (``spread(over:)``); `countdown` steps to the next.
    @usableFromInline var interval = 1
    @usableFromInline var burst = 1
    @usableFromInline var countdown = 1

    /// Bytes per request (a cache line on x86-64 and most arm64 cores).
    public static let lineBytes = 64

    /// Nothing to fetch.
    @inlinable
    public init() {}

    /// The bytes `first` (then `second`), each a base address and a length.
    @inlinable
    public init(_ first: UnsafeRawPointer?, bytes firstBytes: Int, then second: UnsafeRawPointer? = nil,
                bytes secondBytes: Int = 0) {
        if let first, firstBytes > 0 {
            cursor = first
            end = first + firstBytes
            if let second, secondBytes > 0 {
                nextStart = second
                nextEnd = second + secondBytes
            }
        } else if let second, secondBytes > 0 {
            cursor = second
            end = second + secondBytes
        }
    }

    /// The rows `rows` of a row-major matrix at `base` with `columns`
    /// elements of `E` per row, then those rows of a second one.
    @inlinable
    public init<E, F>(rows: Range<Int>, of base: UnsafePointer<E>?, columns: Int, then other: UnsafePointer<F>?,
                      columns otherColumns: Int) {
        let count = rows.count
        func range<T>(_ p: UnsafePointer<T>?, _ c: Int) -> (UnsafeRawPointer?, Int) {
            guard let p, count > 0, c > 0 else { return (nil, 0) }
            return (UnsafeRawPointer(p + rows.lowerBound &* c), count &* c &* MemoryLayout<T>.stride)
        }
        let (a, aBytes) = range(base, columns), (b, bBytes) = range(other, otherColumns)
        self.init(a, bytes: aBytes, then: b, bytes: bBytes)
    }

    /// Spreads the requests evenly over about `steps` calls of ``step()``:
    /// one every few steps when there are more steps than lines (a kernel
    /// with little arithmetic per step would otherwise ask for lines faster
    /// than memory delivers them and wait on its own requests), else a few
    /// per step, so that all are asked for by the last step.
    @inlinable
    public mutating func spread(over steps: Int) {
        guard let c = cursor, let e = end else { return }
        var bytes = e - c
        if let a = nextStart, let b = nextEnd { bytes &+= b - a }
        let lines = Swift.max(1, (bytes &+ Prefetcher.lineBytes &- 1) / Prefetcher.lineBytes)
        let calls = Swift.max(1, steps)
        interval = Swift.max(1, calls / lines)
        burst = (lines &+ calls &- 1) / calls
        countdown = interval
    }

    /// Requests the next lines, if any are left: `burst` of them every
    /// `interval`-th call.
    @inlinable @inline(__always)
    public mutating func step() {
        guard cursor != nil else { return }
        countdown &-= 1
        if countdown > 0 { return }
        countdown = interval
        var q = 0
        repeat {
            guard let c = cursor else { return }
            linreg_prefetch_line(c)
            let next = c + Prefetcher.lineBytes
            if next < end! {
                cursor = next
            } else {
                cursor = nextStart
                end = nextEnd
                nextStart = nil
                nextEnd = nil
            }
            q &+= 1
        } while q < burst
    }
}
