/* bench_inflate - how fast a .json.gz inflates with zlib (what the loader
 * uses) and with ISA-L's igzip (when the library was found at build time),
 * without parsing: the floor under loading a gzip file.
 *
 * Usage: bench_inflate FILE.gz
 * Prints the best of 3 runs of each, decompressing into a 1 MiB buffer that
 * is thrown away, from the whole file read into memory first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define OUT_SIZE (1u << 20)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Inflates every gzip member; returns the bytes out, 0 on error. */
static uint64_t with_zlib(const unsigned char *in, size_t n, unsigned char *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return 0;
    uint64_t total = 0;
    zs.next_in = (unsigned char *)(uintptr_t)in;
    while (n) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        zs.avail_in = k;
        n -= k;
        while (zs.avail_in) {
            zs.next_out = out;
            zs.avail_out = OUT_SIZE;
            int rc = inflate(&zs, Z_NO_FLUSH);
            total += OUT_SIZE - zs.avail_out;
            if (rc == Z_STREAM_END)
                inflateReset(&zs);
            else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                inflateEnd(&zs);
                return 0;
            }
        }
    }
    inflateEnd(&zs);
    return total;
}

#ifdef HAVE_ISAL
static uint64_t with_isal(const unsigned char *in, size_t n, unsigned char *out)
{
    struct inflate_state st;
    isal_inflate_init(&st);
    st.crc_flag = ISAL_GZIP;
    st.next_in = (uint8_t *)(uintptr_t)in;
    uint64_t total = 0;
    while (n) {
        uint32_t k = n > (1u << 30) ? (1u << 30) : (uint32_t)n;
        st.avail_in = k;
        n -= k;
        while (st.avail_in || st.block_state != ISAL_BLOCK_FINISH) {
            st.next_out = out;
            st.avail_out = OUT_SIZE;
            int rc = isal_inflate(&st);
            total += OUT_SIZE - st.avail_out;
            if (rc != ISAL_DECOMP_OK)
                return 0;
            if (st.block_state == ISAL_BLOCK_FINISH) {
                if (!st.avail_in)
                    break;
                /* another member */
                uint8_t *next = st.next_in;
                uint32_t left = st.avail_in;
                isal_inflate_reset(&st);
                st.crc_flag = ISAL_GZIP;
                st.next_in = next;
                st.avail_in = left;
            } else if (!st.avail_in && st.avail_out) {
                break; /* wants more input */
            }
        }
    }
    return total;
}
#endif

static void report(const char *name, uint64_t (*fn)(const unsigned char *, size_t,
                                                     unsigned char *),
                   const unsigned char *in, size_t n, unsigned char *out)
{
    double best = 1e9;
    uint64_t bytes = 0;
    for (int r = 0; r < 3; r++) {
        double t0 = now();
        bytes = fn(in, n, out);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    if (!bytes) {
        printf("%-28s failed\n", name);
        return;
    }
    printf("%-28s %.3f s  (%.0f MB/s of output)\n", name, best, (double)bytes / best / 1e6);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_inflate FILE.gz\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *in = malloc(sz > 0 ? (size_t)sz : 1), *out = malloc(OUT_SIZE);
    if (!in || !out || fread(in, 1, (size_t)sz, f) != (size_t)sz) {
        fprintf(stderr, "%s: cannot read\n", argv[1]);
        return 1;
    }
    fclose(f);
    report("inflate, zlib", with_zlib, in, (size_t)sz, out);
#ifdef HAVE_ISAL
    report("inflate, ISA-L igzip", with_isal, in, (size_t)sz, out);
#else
    printf("inflate, ISA-L igzip         (not built: libisal-dev was missing)\n");
#endif
    free(in);
    free(out);
    return 0;
}
