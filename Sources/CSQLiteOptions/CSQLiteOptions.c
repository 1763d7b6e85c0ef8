#include "CSQLiteOptions.h"

/* Provided by sqlite-nio's bundled SQLite (its symbols carry the sqlite_nio_ prefix). */
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

/* SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h. */
#define KOTAE_DBCONFIG_ENABLE_QPSG 1007

int kotae_sqlite_enable_qpsg(void *db) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(db, KOTAE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
}
