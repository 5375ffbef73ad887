#ifndef PINGAN_CSQLITE_H
#define PINGAN_CSQLITE_H

/// Process-wide SQLite settings made before the first connection opens: sqlite3_config is
/// variadic, which Swift cannot call. Returns SQLITE_OK, or SQLITE_MISUSE when SQLite was
/// already in use in this process (the settings then stay SQLite's defaults).
int pingan_sqlite_configure(void);

#endif
