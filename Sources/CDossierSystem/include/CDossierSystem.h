#ifndef CDOSSIER_SYSTEM_H
#define CDOSSIER_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 where the system or file system cannot.
int dossier_rename_exchange(const char *from, const char *to);

/// Removes a file, or a folder and everything below it, without following symbolic links.
/// Returns 0 on success, -1 if anything could not be removed.
int dossier_remove_tree(const char *path);

/// Who a folder is, across renames: its device, inode and birth time (statx; 0 where the file
/// system does not keep one). Fills `identity[0..3]`; returns 0, or -1 if it cannot be stat'ed.
/// An inode number alone can be reused by a folder made after the first was removed.
int dossier_folder_identity(const char *path, unsigned long long identity[4]);

/// Whether `needle` occurs in `haystack` (glibc's memmem, a GNU extension Swift's Glibc module
/// does not export). An empty needle occurs everywhere.
int dossier_contains_bytes(const void *haystack, unsigned long haystack_length, const void *needle, unsigned long needle_length);
/// The offset of the last `byte` in `bytes[0..<length]`, or -1 (glibc's memrchr, which Swift's
/// Glibc module does not export either).
long dossier_last_byte(const void *bytes, unsigned long length, int byte);
/* How many times `needle` occurs in `haystack`, overlapping, counted up to `limit`; the first
   place in `first` (the haystack's length when none). */
unsigned long dossier_count_bytes(const void *haystack, unsigned long haystack_length, const void *needle, unsigned long needle_length,
                                  unsigned long limit, unsigned long *first);

/// The offset of the first byte of `bytes` that HTML escapes (`&`, `<`, `>`, `"`, `'`), or
/// `length` if there is none. Sixteen bytes at a time where SSE2 is there (every x86-64).
unsigned long dossier_html_special_offset(const unsigned char *bytes, unsigned long length);

/// The offset of the first byte of `bytes` that `JSONValue.writeString` must look at (a control
/// character, `"`, `\\`, `<`, `>`, `&`, or 0xE2, which may start U+2028 or U+2029), or `length` if
/// there is none. Sixteen bytes at a time where SSE2 is there.
unsigned long dossier_json_special_offset(const unsigned char *bytes, unsigned long length);

/// `XML.escape` on bytes: `&`, `<`, `>`, `"` and `'` as entities, the C0 controls XML 1.0 forbids
/// (all but tab, line feed and carriage return) and U+FFFE and U+FFFF dropped. Returns the bytes
/// written to `output`, which has room for six times `length`.
unsigned long dossier_xml_escape(const unsigned char *bytes, unsigned long length, unsigned char *output);

/// The offset of the first byte `dossier_xml_escape` looks at (any C0 control, `&`, `<`, `>`, `"`,
/// `'`, or 0xEF), or `length` if there is none: text without one is kept as it is.
unsigned long dossier_xml_special_offset(const unsigned char *bytes, unsigned long length);

/// Writes `bytes` (UTF-8, perhaps malformed) to `output` with every run of white space (Unicode's
/// White_Space) made one space and none at either end; returns how many bytes it wrote, at most
/// `length`. A malformed sequence is copied as it is, a byte at a time.
unsigned long dossier_collapse_whitespace(const unsigned char *bytes, unsigned long length, unsigned char *output);

/// `SearchShards.clip`'s loop: like `dossier_collapse_whitespace` (white space as Swift's
/// `isWhitespace` has it), but only until one more character, or a space and one, would pass
/// `limit` characters (Unicode scalars); then `*truncated` is 1. Returns the bytes written to
/// `output`, which has room for `4 * limit`; `*last_space_byte` is the offset of the last space
/// written (-1 for none) and `*last_space_count` the characters before it.
unsigned long dossier_clip(const unsigned char *bytes, unsigned long length, unsigned long limit, unsigned char *output,
                           int *truncated, long *last_space_byte, unsigned long *last_space_count);

#endif
