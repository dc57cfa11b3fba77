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

int atomic_tmp_create(const char *path, char **tmp_out, as_error *err)
{
    static unsigned counter;
    char *dir = dir_of(path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t cap = (dir ? strlen(dir) : 0) + strlen(base) + 64;
    char *tmp = dir ? malloc(cap) : NULL;
    if (!tmp) {
        free(dir);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return -1;
    }
    int fd = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        if (strlen(base) > 180) /* keep within NAME_MAX */
            snprintf(tmp, cap, "%s/.attrscope.%ld.%u.tmp", dir, (long)getpid(), k);
        else
            snprintf(tmp, cap, "%s/.%s.%ld.%u.tmp", dir, base, (long)getpid(), k);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        as_error_set(err, AS_EIO, "%s: cannot create a file in %s: %s", path, dir, strerror(e));
        free(tmp);
        free(dir);
        return -1;
    }
    free(dir);
    /* A replaced file keeps its permissions, as when Python rewrites it. */
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        (void)fchmod(fd, sb.st_mode & 07777);
    *tmp_out = tmp;
    return fd;
}

int atomic_place(const char *tmp, const char *path, bool force, as_error *err)
{
    if (force) {
        if (rename(tmp, path) != 0)
            return as_error_set(err, AS_EIO, "%s: cannot move the new file into place: %s", path,
                                strerror(errno));
        return AS_OK;
    }
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return AS_OK;
    }
    if (errno == EEXIST)
        return as_error_set(err, AS_EUSAGE, "%s: already exists (use --force to replace it)", path);
    /* File systems without hard links: check, then rename. */
    struct stat sb;
    if (lstat(path, &sb) == 0)
        return as_error_set(err, AS_EUSAGE, "%s: already exists (use --force to replace it)", path);
    if (rename(tmp, path) != 0)
        return as_error_set(err, AS_EIO, "%s: cannot move the new file into place: %s", path,
                            strerror(errno));
    return AS_OK;
}

void atomic_sync_dir(const char *path)
{
    char *dir = dir_of(path);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
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
    af->path = strdup(path);
    if (!af->path)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    int fd = atomic_tmp_create(path, &af->tmp, err);
    if (fd < 0) {
        clear(af);
        return err ? err->code : AS_EIO;
    }
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        as_error_set(err, AS_EIO, "%s: %s", path, strerror(e));
        clear(af);
        return AS_EIO;
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
    int rc = AS_OK;
    if (e)
        rc = as_error_set(err, AS_EIO, "%s: writing failed: %s; nothing was changed", af->path,
                          strerror(e));
    else
        rc = atomic_place(af->tmp, af->path, af->force, err);
    if (rc)
        unlink(af->tmp);
    else
        atomic_sync_dir(af->path);
    clear(af);
    return rc;
}
