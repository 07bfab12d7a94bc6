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

/* How many times `needle` occurs in `haystack` (overlapping), counted up to `limit`, and where it
   first does in `first` (the haystack's length if nowhere). */
unsigned long dossier_count_bytes(const void *haystack, unsigned long haystack_length, const void *needle, unsigned long needle_length,
                                  unsigned long limit, unsigned long *first) {
    const unsigned char *start = haystack;
    unsigned long count = 0, offset = 0;
    *first = haystack_length;
    if (needle_length == 0) return 0;
    while (count < limit && offset < haystack_length) {
        const unsigned char *found = memmem(start + offset, haystack_length - offset, needle, needle_length);
        if (found == NULL) break;
        if (count == 0) *first = (unsigned long)(found - start);
        count += 1;
        offset = (unsigned long)(found - start) + 1;
    }
    return count;
}

/* The offset of the first byte of `bytes` that is one of the `count` bytes of `set` or, with
   `controls`, below 0x20; `length` if there is none. Sixteen bytes at a time where SSE2 is
   there. Always inlined with constant arguments, so each caller's loop compares with its own
   bytes only, as if written out. */
static inline __attribute__((always_inline)) unsigned long dossier_first_of(const unsigned char *bytes, unsigned long length,
                                                                           const unsigned char *set, int count, int controls) {
    unsigned long offset = 0;
#if defined(__SSE2__)
    for (; offset + 16 <= length; offset += 16) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + offset));
        /* An unsigned byte below 0x20 is its own minimum with 0x1F. */
        __m128i found = controls ? _mm_cmpeq_epi8(_mm_min_epu8(chunk, _mm_set1_epi8(0x1F)), chunk) : _mm_setzero_si128();
        for (int index = 0; index < count; index++) found = _mm_or_si128(found, _mm_cmpeq_epi8(chunk, _mm_set1_epi8((char)set[index])));
        int mask = _mm_movemask_epi8(found);
        if (mask != 0) return offset + (unsigned long)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; offset < length; offset++) {
        unsigned char byte = bytes[offset];
        if (controls && byte < 0x20) return offset;
        for (int index = 0; index < count; index++) {
            if (byte == set[index]) return offset;
        }
    }
    return length;
}

static const unsigned char dossier_html_specials[] = {'&', '<', '>', '"', '\''};
static const unsigned char dossier_json_specials[] = {'"', '\\', '<', '>', '&', 0xE2};
static const unsigned char dossier_xml_specials[] = {'&', '<', '>', '"', '\'', 0xEF};

unsigned long dossier_html_special_offset(const unsigned char *bytes, unsigned long length) {
    return dossier_first_of(bytes, length, dossier_html_specials, sizeof dossier_html_specials, 0);
}

unsigned long dossier_json_special_offset(const unsigned char *bytes, unsigned long length) {
    return dossier_first_of(bytes, length, dossier_json_specials, sizeof dossier_json_specials, 1);
}

/* The first byte `dossier_xml_escape` must look at: a control character (tab, line feed and
   carriage return included, which it keeps), one of the five escaped, or 0xEF. */
unsigned long dossier_xml_special_offset(const unsigned char *bytes, unsigned long length) {
    return dossier_first_of(bytes, length, dossier_xml_specials, sizeof dossier_xml_specials, 1);
}

unsigned long dossier_xml_escape(const unsigned char *bytes, unsigned long length, unsigned char *output) {
    unsigned long written = 0, index = 0;
    while (index < length) {
        unsigned long run = index + dossier_xml_special_offset(bytes + index, length - index);
        memcpy(output + written, bytes + index, run - index);
        written += run - index;
        index = run;
        if (index >= length) break;
        unsigned char byte = bytes[index];
        const char *entity = NULL;
        switch (byte) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: break;
        }
        if (entity != NULL) {
            while (*entity) output[written++] = (unsigned char)*entity++;
            index += 1;
        } else if (byte == 0xEF) {
            /* U+FFFE and U+FFFF (EF BF BE, EF BF BF) are dropped; any other EF sequence is kept. */
            if (index + 2 < length && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF)) {
                index += 3;
            } else {
                output[written++] = byte;
                index += 1;
            }
        } else if (byte == 0x09 || byte == 0x0A || byte == 0x0D) {
            output[written++] = byte;
            index += 1;
        } else {
            /* A control character XML 1.0 does not allow: dropped. */
            index += 1;
        }
    }
    return written;
}

/* Unicode's White_Space property, as Swift's `Unicode.Scalar.Properties.isWhitespace` has it. */
static int dossier_is_white_space(unsigned long value) {
    return (value >= 0x09 && value <= 0x0D) || value == 0x20 || value == 0x85 || value == 0xA0 || value == 0x1680
        || (value >= 0x2000 && value <= 0x200A) || value == 0x2028 || value == 0x2029 || value == 0x202F || value == 0x205F
        || value == 0x3000;
}

unsigned long dossier_collapse_whitespace(const unsigned char *bytes, unsigned long length, unsigned char *output) {
    unsigned long written = 0, index = 0, run_start = 0;
    int in_run = 0, pending_space = 0;
    while (index < length) {
        if (in_run) {
            /* Inside a run, printable ASCII (most of any text) only moves on: skipped in a tight
               loop rather than through the checks below, a byte at a time. */
            while (index < length && (unsigned char)(bytes[index] - 0x21) < 0x5F) index++;
            if (index >= length) break;
        }
        unsigned char byte = bytes[index];
        unsigned long width = 1;
        int white;
        if (byte < 0x80) {
            /* One space between two other ASCII characters stays inside the run: the same bytes
               as ending the run there and starting the next with a space, copied at once. */
            if (byte == 0x20 && in_run && index + 1 < length && bytes[index + 1] > 0x20 && bytes[index + 1] < 0x80) {
                index += 2;
                continue;
            }
            white = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D);
        } else {
            width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
            unsigned long value = byte & (0xFFu >> (width + 1));
            if (index + width > length) {
                width = 1;
            } else {
                for (unsigned long next = 1; next < width; next++) {
                    if ((bytes[index + next] & 0xC0) != 0x80) { width = 1; break; }
                }
            }
            for (unsigned long next = 1; next < width; next++) value = value << 6 | (bytes[index + next] & 0x3F);
            white = width > 1 && dossier_is_white_space(value);
        }
        if (white) {
            if (in_run) {
                memcpy(output + written, bytes + run_start, index - run_start);
                written += index - run_start;
                in_run = 0;
            }
            pending_space = written > 0;
        } else if (!in_run) {
            if (pending_space) output[written++] = ' ';
            pending_space = 0;
            in_run = 1;
            run_start = index;
        }
        index += width;
    }
    if (in_run) {
        memcpy(output + written, bytes + run_start, length - run_start);
        written += length - run_start;
    }
    return written;
}

unsigned long dossier_clip(const unsigned char *bytes, unsigned long length, unsigned long limit, unsigned char *output,
                           int *truncated, long *last_space_byte, unsigned long *last_space_count) {
    unsigned long written = 0, count = 0, index = 0;
    int pending_space = 0;
    *truncated = 0;
    *last_space_byte = -1;
    *last_space_count = 0;
    while (index < length) {
        unsigned char byte = bytes[index];
        if (!pending_space && (unsigned char)(byte - 0x21) < 0x5F) {
            /* A run of printable ASCII with no space before it: copied at once, as far as the
               limit allows, rather than a byte at a time through the checks below. */
            unsigned long run_end = index + 1;
            while (run_end < length && (unsigned char)(bytes[run_end] - 0x21) < 0x5F) run_end++;
            unsigned long take = run_end - index, room = limit - count;
            if (take > room) {
                memcpy(output + written, bytes + index, room);
                written += room;
                *truncated = 1;
                break;
            }
            memcpy(output + written, bytes + index, take);
            written += take;
            count += take;
            index = run_end;
            continue;
        }
        unsigned long width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
        unsigned long end = index + width < length ? index + width : length;
        int white;
        if (byte < 0x80) {
            white = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D);
        } else {
            unsigned long value = byte & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07);
            for (unsigned long next = index + 1; next < end; next++) value = value << 6 | (bytes[next] & 0x3F);
            white = dossier_is_white_space(value);
        }
        if (white) {
            pending_space = written > 0;
            index = end;
            continue;
        }
        if (count + (pending_space ? 2 : 1) > limit) {
            *truncated = 1;
            break;
        }
        if (pending_space) {
            *last_space_byte = (long)written;
            *last_space_count = count;
            output[written++] = ' ';
            count += 1;
            pending_space = 0;
        }
        while (index < end) output[written++] = bytes[index++];
        count += 1;
    }
    return written;
}

long dossier_last_byte(const void *bytes, unsigned long length, int byte) {
    const unsigned char *found = length ? memrchr(bytes, byte, length) : NULL;
    return found ? (long)(found - (const unsigned char *)bytes) : -1;
}
