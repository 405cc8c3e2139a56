#if canImport(Glibc)
import Glibc
#endif

/// A minimal fork–join helper over POSIX threads for the data-parallel
/// kernels.
///
/// Kernels stay deterministic by construction: they cut the work into pieces
/// whose boundaries do not depend on the thread count, compute each piece
/// independently, and combine the pieces in a fixed order on the calling
/// thread. Threads only decide *who* computes a piece.
enum WorkerThreads {
    /// The number of workers to use for a `threads` setting (0 = all online
    /// cores), never more than `pieces` or 64, at least 1.
    static func count(requested threads: Int, pieces: Int) -> Int {
        let wanted = threads > 0 ? threads : onlineCores
        return max(1, min(wanted, pieces, 64))
    }

    /// The online cores, read once per process (glibc's sysconf reads a
    /// /sys file on every call).
    static let onlineCores: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()

    /// Runs `work(i)` for every i in 0..<count, concurrently: i = 0 on the
    /// calling thread, the others on new threads; returns when all are done.
    /// A thread that cannot be created runs its piece on the calling thread.
    static func run(_ count: Int, _ work: (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { work(0) }
            return
        }
        #if canImport(Glibc)
        withoutActuallyEscaping(work) { work in
            let job = Job(work)
            var started: [(pthread_t, Unmanaged<Task>)] = []
            started.reserveCapacity(count - 1)
            var inline: [Int] = []
            for i in 1..<count {
                let task = Unmanaged.passRetained(Task(job: job, index: i))
                var thread = pthread_t()
                let status = pthread_create(&thread, nil, { argument in
                    guard let argument else { return nil }
                    let task = Unmanaged<Task>.fromOpaque(argument).takeUnretainedValue()
                    task.job.work(task.index)
                    return nil
                }, task.toOpaque())
                if status == 0 {
                    started.append((thread, task))
                } else {
                    task.release()
                    inline.append(i)
                }
            }
            work(0)
            for i in inline { work(i) }
            for (thread, task) in started {
                pthread_join(thread, nil)
                task.release()
            }
        }
        #else
        for i in 0..<count { work(i) }
        #endif
    }

    /// Runs `work(worker, item)` for every item in 0..<items on `workers`
    /// threads (the caller's among them), each worker taking the next
    /// unclaimed item when it is free (dynamic scheduling: a worker slowed by
    /// another process on the machine simply takes fewer items). Which worker
    /// computes an item must not change the result: kernels write each item's
    /// result to its own slot and combine the slots in item order.
    static func forEach(items: Int, workers: Int, _ work: (_ worker: Int, _ item: Int) -> Void) {
        let count = max(1, min(workers, items))
        if count == 1 {
            for item in 0..<items { work(0, item) }
            return
        }
        let queue = ItemQueue(items: items)
        run(count) { worker in
            while let item = queue.next() { work(worker, item) }
        }
    }

    /// A counter of claimed items behind a mutex.
    private final class ItemQueue: @unchecked Sendable {
        let items: Int
        var claimed = 0
        #if canImport(Glibc)
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        #endif

        init(items: Int) {
            self.items = items
            #if canImport(Glibc)
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
            #endif
        }

        deinit {
            #if canImport(Glibc)
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
            #endif
        }

        func next() -> Int? {
            #if canImport(Glibc)
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            #endif
            guard claimed < items else { return nil }
            claimed += 1
            return claimed - 1
        }
    }

    /// The shared closure (alive until every thread has been joined).
    private final class Job: @unchecked Sendable {
        let work: (Int) -> Void
        init(_ work: @escaping (Int) -> Void) { self.work = work }
    }

    /// One thread's argument.
    private final class Task: @unchecked Sendable {
        let job: Job
        let index: Int
        init(job: Job, index: Int) {
            self.job = job
            self.index = index
        }
    }
}
