#define _GNU_SOURCE
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "CDossierSystem.h"

#if defined(__linux__)
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#endif

int dossier_rename_exchange(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#else
    (void)from;
    (void)to;
    return -1;
#endif
}

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/// Empties the folder open as `fd` (and closes it): one unlinkat per entry, recursing into
/// folders by d_type, so no entry is stat'ed unless the file system does not report its type.
static int dossier_empty_folder(int fd) {
    DIR *folder = fdopendir(fd);
    if (folder == NULL) { close(fd); return -1; }
    int result = 0;
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        int isFolder = entry->d_type == DT_DIR;
        if (entry->d_type == DT_UNKNOWN) {
            struct stat status;
            isFolder = fstatat(dirfd(folder), name, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(status.st_mode);
        }
        if (isFolder) {
            int child = openat(dirfd(folder), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0 || dossier_empty_folder(child) != 0) result = -1;
            if (unlinkat(dirfd(folder), name, AT_REMOVEDIR) != 0) result = -1;
        } else if (unlinkat(dirfd(folder), name, 0) != 0) {
            result = -1;
        }
    }
    closedir(folder);
    return result;
}

int dossier_remove_tree(const char *path) {
    struct stat status;
    if (lstat(path, &status) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(status.st_mode)) return unlink(path);
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = dossier_empty_folder(fd);
    return rmdir(path) == 0 ? result : -1;
}

int dossier_folder_identity(const char *path, unsigned long long identity[4]) {
#if defined(__linux__) && defined(STATX_BTIME)
    struct statx status;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_BTIME, &status) != 0) return -1;
    identity[0] = ((unsigned long long)status.stx_dev_major << 32) | status.stx_dev_minor;
    identity[1] = status.stx_ino;
    identity[2] = (status.stx_mask & STATX_BTIME) ? (unsigned long long)status.stx_btime.tv_sec : 0;
    identity[3] = (status.stx_mask & STATX_BTIME) ? status.stx_btime.tv_nsec : 0;
    return 0;
#else
    struct stat status;
    if (lstat(path, &status) != 0) return -1;
    identity[0] = status.st_dev;
    identity[1] = status.st_ino;
    identity[2] = 0;
    identity[3] = 0;
    return 0;
#endif
}

int dossier_contains_bytes(const void *haystack, unsigned long haystack_length, const void *needle, unsigned long needle_length) {
    if (needle_length == 0) return 1;
    return memmem(haystack, haystack_length, needle, needle_length) != NULL;
}

static int dossier_is_html_special(unsigned char byte) {
    return byte == '&' || byte == '<' || byte == '>' || byte == '"' || byte == '\'';
}

unsigned long dossier_html_special_offset(const unsigned char *bytes, unsigned long length) {
    unsigned long offset = 0;
#if defined(__SSE2__)
    const __m128i amp = _mm_set1_epi8('&'), less = _mm_set1_epi8('<'), greater = _mm_set1_epi8('>');
    const __m128i quote = _mm_set1_epi8('"'), apostrophe = _mm_set1_epi8('\'');
    for (; offset + 16 <= length; offset += 16) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + offset));
        __m128i found = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, amp), _mm_cmpeq_epi8(chunk, less)),
                                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, greater), _mm_cmpeq_epi8(chunk, quote)),
                                                  _mm_cmpeq_epi8(chunk, apostrophe)));
        int mask = _mm_movemask_epi8(found);
        if (mask != 0) return offset + (unsigned long)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; offset < length; offset++) {
        if (dossier_is_html_special(bytes[offset])) return offset;
    }
    return length;
}
