import GRDB

extension DatabaseReader {
    /// Runs a short read on the calling thread (a reader of the pool taken and released in
    /// place), instead of hopping to a reader's queue and back. For look-ups by key on hot
    /// paths: a call on the event loop answers without two thread wake-ups, which cost more
    /// than the query on this kind of machine. Never for scans or anything that can take long:
    /// the caller's thread, often an event loop, waits for it.
    ///
    /// One statement only, without a transaction around it: SQLite reads a statement from one
    /// snapshot, and the transaction a pool's `read` opens cost more statements than the read
    /// (a savepoint and its release, read-only mode set and cleared).
    public func readInline<T>(_ value: (Database) throws -> T) throws -> T {
        try unsafeRead(value)
    }
}
