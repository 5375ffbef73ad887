import GRDB

extension Database {
    /// A statement for `sql`, kept in the connection's cache only when `cached`: a multi-row
    /// INSERT's text changes with its row count, and caching one per count (each holds
    /// thousands of parameters) would grow the cache with every batch size a client sends.
    /// The full-size chunk, the common case, is cached; a remainder is prepared and dropped.
    public func statement(sql: String, cachedWhen cached: Bool) throws -> Statement {
        cached ? try cachedStatement(sql: sql) : try makeStatement(sql: sql)
    }
}
