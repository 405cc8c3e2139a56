#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// glibc's `malloc_usable_size` (declared in <malloc.h>, which the Glibc
/// module does not export).
@_silgen_name("malloc_usable_size")
private func glibcMallocUsableSize(_ pointer: UnsafeMutableRawPointer?) -> Int

/// Working-memory checks made before an operation allocates.
///
/// Swift arrays abort the process when an allocation fails, and a library
/// must never do that to its host. So every operation whose memory grows
/// with the caller's sizes first computes its need, refuses sizes whose byte
/// count overflows, and asks the allocator once for that much (and frees it
/// at once): if that fails, the operation reports `EngineError.noMemory`
/// instead of starting.
package enum MemoryReservation {
    /// `count` elements of `stride` bytes, or nil when that overflows `Int`.
    @inlinable
    package static func bytes(count: Int, stride: Int) -> Int? {
        let (product, overflow) = count.multipliedReportingOverflow(by: stride)
        return overflow || count < 0 ? nil : product
    }

    /// Succeeds when `bytes` bytes can be allocated right now.
    package static func ensure(bytes: Int?, for what: String) throws {
        guard let bytes, bytes >= 0 else {
            throw EngineError.noMemory("\(what): the size in bytes overflows")
        }
        if bytes == 0 { return }
        // The probe's pointer goes through malloc_usable_size, a function the
        // optimiser knows nothing about, so the malloc/free pair cannot be
        // elided as an allocation without effect.
        guard let block = malloc(bytes) else {
            throw EngineError.noMemory("\(what): cannot allocate \(bytes) bytes")
        }
        let usable = glibcMallocUsableSize(block)
        free(block)
        guard usable >= bytes else {
            throw EngineError.noMemory("\(what): cannot allocate \(bytes) bytes")
        }
    }

    /// Succeeds when `count` doubles can be allocated right now.
    package static func ensureDoubles(_ count: Int?, for what: String) throws {
        try ensure(bytes: count.flatMap { bytes(count: $0, stride: MemoryLayout<Double>.stride) }, for: what)
    }

    /// a·b, or nil on overflow or a negative factor.
    @inlinable
    package static func product(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (p, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : p
    }
}
