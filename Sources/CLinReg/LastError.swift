#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-thread message of the last failed call (`linreg_last_error`).
///
/// Each thread owns one malloc'd C string, stored under a pthread key whose
/// destructor frees it when the thread exits.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        _ = pthread_key_create(&key) { pointer in free(pointer) }
        return key
    }()

    nonisolated(unsafe) private static let empty = permanentCString("")

    /// Records `message` as this thread's last error.
    static func record(_ message: String) {
        let copy = message.withCString { strdup($0) }
        let previous = pthread_getspecific(key)
        if pthread_setspecific(key, copy) == 0 {
            free(previous)
        } else {
            free(copy)
        }
    }

    /// This thread's last message, or "".
    static var current: UnsafePointer<CChar> {
        guard let raw = pthread_getspecific(key) else { return empty }
        return UnsafePointer(raw.assumingMemoryBound(to: CChar.self))
    }
}
