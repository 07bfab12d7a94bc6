#ifndef CDOSSIER_SYSTEM_H
#define CDOSSIER_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 where the system or file system cannot.
int dossier_rename_exchange(const char *from, const char *to);

#endif
