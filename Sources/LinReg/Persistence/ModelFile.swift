#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes of model files.
///
/// Saving writes a temporary file in the destination's folder, flushes it to
/// disk, renames it over the destination (atomic on POSIX file systems) and
/// flushes the folder, so a crash mid-save leaves either the old file or the
/// new one, never a damaged one.
public enum ModelFile {
    /// Largest file `read` accepts (a model of 2^31 doubles).
    public static let maxFileSize = 1 << 34

    private static func failure(_ what: String, _ path: String) -> EngineError {
        let code = errno
        let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return .io("\(what) '\(path)': \(reason)")
    }

    /// Atomically replaces `path` with `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        guard !path.isEmpty else { throw EngineError.argument("path is empty") }
        let folder: String
        if let slash = path.lastIndex(of: "/") {
            folder = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            folder = "."
        }
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("cannot create a temporary file beside", path) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var written = 0
        let writeError: EngineError? = bytes.withUnsafeBytes { raw -> EngineError? in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return failure("cannot write", temporary)
                }
                written += n
            }
            return nil
        }
        if let writeError {
            close(fd)
            throw writeError
        }
        guard fsync(fd) == 0 else {
            let error = failure("cannot flush", temporary)
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("cannot close", temporary) }
        _ = chmod(temporary, 0o644)
        guard rename(temporary, path) == 0 else { throw failure("cannot rename the temporary file onto", path) }
        ok = true
        let dirfd = open(folder, O_RDONLY)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// The whole content of `path` (at most ``maxFileSize`` bytes).
    public static func read(_ path: String) throws -> [UInt8] {
        guard !path.isEmpty else { throw EngineError.argument("path is empty") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure("cannot open", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot stat", path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw EngineError.io("'\(path)' is not a regular file")
        }
        let size = Int(info.st_size)
        guard size >= 0, size <= maxFileSize else {
            throw EngineError.format("'\(path)' is \(size) bytes, larger than any model this library writes")
        }
        try MemoryReservation.ensure(bytes: size, for: "reading '\(path)'")
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        let readError: EngineError? = bytes.withUnsafeMutableBytes { raw -> EngineError? in
            while done < size {
                let n = Glibc.read(fd, raw.baseAddress! + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return failure("cannot read", path)
                }
                if n == 0 { break }
                done += n
            }
            return nil
        }
        if let readError { throw readError }
        return Array(bytes[0..<done])
    }
}
