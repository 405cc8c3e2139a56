import Glibc

/// The mutex of a value computed when first read (``FitSpectrum``,
/// ``FitCovariance``): the C interface lets readers of one model run
/// concurrently, so the first read computes under it and later reads find
/// the stored value. A POSIX mutex at a stable address (a Swift stored
/// `pthread_mutex_t` could move).
final class DeferredValueLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// `body`'s result, computed while holding the mutex.
    func withLock<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
