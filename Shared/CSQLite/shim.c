#include <sqlite3.h>
#include "CSQLite.h"

int pingan_sqlite_configure(void) {
    // Without memory statistics, which nothing reads, SQLite's allocator takes no global mutex
    // on every malloc and free (6% of the registry's CPU during a bulk import).
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
