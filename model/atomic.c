#define _GNU_SOURCE
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static void clear(as_atomic *af)
{
    free(af->path);
    free(af->tmp);
    memset(af, 0, sizeof *af);
}

int atomic_open(as_atomic *af, const char *path, bool force, as_error *err)
{
    memset(af, 0, sizeof *af);
    af->force = force;
    if (!strcmp(path, "-")) {
        af->f = stdout;
        af->path = strdup("-");
        return af->path ? AS_OK : as_error_set(err, AS_ENOMEM, "out of memory");
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return as_error_set(err, AS_EUSAGE, "%s: is a directory", path);
        if (!force)
            return as_error_set(err, AS_EUSAGE, "%s: already exists (use --force to replace it)",
                                path);
    }
    char *dir = dir_of(path);
    size_t n = (dir ? strlen(dir) : 0) + 32;
    af->tmp = malloc(n);
    af->path = strdup(path);
    if (!dir || !af->tmp || !af->path) {
        free(dir);
        clear(af);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    snprintf(af->tmp, n, "%s/.attrscope-XXXXXX", dir);
    free(dir);
    int fd = mkstemp(af->tmp);
    if (fd < 0) {
        int e = errno;
        clear(af);
        return as_error_set(err, AS_EIO, "%s: cannot create a file there: %s", path, strerror(e));
    }
    /* Files are created like any other: 0666 less the umask. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        clear(af);
        return as_error_set(err, AS_EIO, "%s: %s", path, strerror(e));
    }
    return AS_OK;
}

void atomic_abort(as_atomic *af)
{
    if (af->tmp) {
        if (af->f)
            fclose(af->f);
        unlink(af->tmp);
    }
    clear(af);
}

int atomic_commit(as_atomic *af, as_error *err)
{
    if (!af->tmp) { /* stdout */
        int bad = fflush(af->f) != 0 || ferror(af->f);
        int e = errno;
        clear(af);
        return bad ? as_error_set(err, AS_EIO, "cannot write to standard output: %s", strerror(e))
                   : AS_OK;
    }
    int e = 0;
    if (fflush(af->f) != 0 || ferror(af->f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(af->f)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(af->f) != 0 && !e)
        e = errno;
    af->f = NULL;
    if (!e) {
        int r;
        if (af->force)
            r = rename(af->tmp, af->path);
        else
            r = renameat2(AT_FDCWD, af->tmp, AT_FDCWD, af->path, RENAME_NOREPLACE);
        if (r != 0 && !af->force && (errno == EINVAL || errno == ENOSYS)) {
            /* Filesystems without RENAME_NOREPLACE: link() fails if it exists. */
            r = link(af->tmp, af->path);
            if (r == 0)
                unlink(af->tmp);
        }
        if (r != 0)
            e = errno;
    }
    if (e) {
        unlink(af->tmp);
        int code = AS_EIO;
        if (e == EEXIST) {
            as_error_set(err, AS_EUSAGE, "%s: already exists (use --force to replace it)",
                         af->path);
            code = AS_EUSAGE;
        } else {
            as_error_set(err, code, "%s: writing failed: %s; nothing was changed", af->path,
                         strerror(e));
        }
        clear(af);
        return code;
    }
    /* Make the rename itself durable. */
    char *dir = dir_of(af->path);
    int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    clear(af);
    return AS_OK;
}
