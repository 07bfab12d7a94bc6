#ifndef CDOSSIER_SYSTEM_H
#define CDOSSIER_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 where the system or file system cannot.
int dossier_rename_exchange(const char *from, const char *to);

/// Removes a file, or a folder and everything below it, without following symbolic links.
/// Returns 0 on success, -1 if anything could not be removed.
int dossier_remove_tree(const char *path);

#endif
