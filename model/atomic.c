#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------- temporary files still alive */

/* Changed only with the asynchronous signals blocked in the changing
 * thread (threads that write files block them for good: save.c), so that
 * atomic_remove_tmps() in a signal handler sees a consistent list. */
static char **live;
static size_t nlive, live_cap;

static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void remember(const char *tmp)
{
    sigset_t old;
    char *copy = strdup(tmp);
    if (!copy)
        return;
    block_signals(&old);
    if (nlive == live_cap) {
        size_t nc = live_cap ? live_cap * 2 : 16;
        char **nv = malloc(nc * sizeof *nv);
        if (!nv) {
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            free(copy);
            return;
        }
        if (nlive)
            memcpy(nv, live, nlive * sizeof *nv);
        char **ov = live;
        live = nv;
        live_cap = nc;
        free(ov);
    }
    live[nlive++] = copy;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void atomic_tmp_done(const char *tmp)
{
    sigset_t old;
    block_signals(&old);
    char *gone = NULL;
    for (size_t i = nlive; i-- > 0;) {
        if (!strcmp(live[i], tmp)) {
            gone = live[i];
            live[i] = live[--nlive];
            break;
        }
    }
    if (!nlive) {
        free(live);
        live = NULL;
        live_cap = 0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(gone);
}

void atomic_tmp_remove(const char *tmp)
{
    unlink(tmp);
    atomic_tmp_done(tmp);
}

void atomic_remove_tmps(void)
{
    for (size_t i = 0; i < nlive; i++)
        unlink(live[i]);
}

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
    remember(tmp);
    /* A replaced file keeps its permissions, as when Python rewrites it. */
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        (void)fchmod(fd, sb.st_mode & 07777);
    *tmp_out = tmp;
    return fd;
}

static const char *kind_of(mode_t m)
{
    return S_ISBLK(m)    ? "a block device"
           : S_ISSOCK(m) ? "a socket"
           : S_ISDIR(m)  ? "a directory"
                         : "not a regular file";
}

int atomic_target(const char *path, bool force, char **dest, bool *direct, as_error *err)
{
    *dest = NULL;
    *direct = false;
    struct stat lst, st;
    const char *target = path;
    char *resolved = NULL;
    if (lstat(path, &lst) != 0) {
        if (errno != ENOENT)
            return as_error_set(err, AS_EIO, "%s: %s", path, strerror(errno));
        st.st_mode = 0;
    } else if (S_ISLNK(lst.st_mode)) {
        /* A link stays a link: the file it points to is what gets written
         * (or replaced, with force), as the shell's > does. */
        resolved = realpath(path, NULL);
        if (!resolved || stat(resolved, &st) != 0) {
            int e = errno;
            free(resolved);
            return as_error_set(err, AS_EUSAGE, "%s: is a symbolic link to %s: %s", path,
                                "a file that cannot be reached", strerror(e));
        }
        target = resolved;
    } else {
        st = lst;
    }
    int rc = AS_OK;
    if (!st.st_mode) {
        /* new file */
    } else if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        /* /dev/null, a terminal, a pipe: written directly, never replaced
         * (nothing would be overwritten, so no force is needed) */
        *direct = true;
        target = path;
    } else if (!S_ISREG(st.st_mode)) {
        rc = as_error_set(err, AS_EUSAGE, "%s: is %s; only regular files are written or replaced",
                          path, kind_of(st.st_mode));
    } else if (!force) {
        rc = as_error_set(err, AS_EUSAGE, "%s: already exists (use --force to replace it)", path);
    }
    if (!rc && !(*dest = strdup(target)))
        rc = as_error_set(err, AS_ENOMEM, "out of memory");
    free(resolved);
    return rc;
}

int atomic_place(const char *tmp, const char *path, bool force, as_error *err)
{
    if (force) {
        /* Only a regular file is replaced, even one that changed while the
         * new one was written. */
        struct stat sb;
        if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
            return as_error_set(err, AS_EUSAGE,
                                "%s: is no longer a regular file; it was not replaced", path);
        if (rename(tmp, path) != 0)
            return as_error_set(err, AS_EIO, "%s: cannot move the new file into place: %s", path,
                                strerror(errno));
        atomic_tmp_done(tmp);
        return AS_OK;
    }
    if (link(tmp, path) == 0) {
        atomic_tmp_remove(tmp);
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
    atomic_tmp_done(tmp);
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
    bool direct;
    int rc = atomic_target(path, force, &af->path, &direct, err);
    if (rc)
        return rc;
    if (direct) {
        int fd = open(af->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || !(af->f = fdopen(fd, "wb"))) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            as_error_set(err, AS_EIO, "%s: cannot open: %s", path, strerror(e));
            clear(af);
            return AS_EIO;
        }
        af->direct = true;
        return AS_OK;
    }
    int fd = atomic_tmp_create(af->path, &af->tmp, err);
    if (fd < 0) {
        clear(af);
        return err ? err->code : AS_EIO;
    }
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        int e = errno;
        close(fd);
        atomic_tmp_remove(af->tmp);
        as_error_set(err, AS_EIO, "%s: %s", path, strerror(e));
        clear(af);
        return AS_EIO;
    }
    return AS_OK;
}

void atomic_abort(as_atomic *af)
{
    if (af->direct) {
        fclose(af->f);
    } else if (af->tmp) {
        if (af->f)
            fclose(af->f);
        atomic_tmp_remove(af->tmp);
    }
    clear(af);
}

int atomic_commit(as_atomic *af, as_error *err)
{
    if (af->direct) {
        int bad = fflush(af->f) != 0 || ferror(af->f);
        int e = errno ? errno : EIO;
        if (fclose(af->f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        int rc = bad ? as_error_set(err, AS_EIO, "%s: writing failed: %s", af->path, strerror(e))
                     : AS_OK;
        clear(af);
        return rc;
    }
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
        atomic_tmp_remove(af->tmp);
    else
        atomic_sync_dir(af->path);
    clear(af);
    return rc;
}
