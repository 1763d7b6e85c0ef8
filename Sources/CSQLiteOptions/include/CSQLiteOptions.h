#ifndef KOTAE_CSQLITE_OPTIONS_H
#define KOTAE_CSQLITE_OPTIONS_H

/// Turns on SQLite's query planner stability guarantee for a connection (a `sqlite3 *`).
/// Swift cannot call the variadic `sqlite3_db_config`, so this one call lives in C.
int kotae_sqlite_enable_qpsg(void *db);

#endif
