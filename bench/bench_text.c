/* bench_text.c - time of the text heatmaps of a large sequence.
 *
 *   bench_text [ROWS COLS]   renders source (ROWS x COLS) and causal target
 *                            (COLS x COLS) heatmaps with step scores, plain,
 *                            256 colors and truecolor, at width 80 and
 *                            unlimited, into /dev/null; default 600 x 200
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr.h"
#include "text.h"

static const char *const WORDS[] = {
    "\xe2\x96\x81" "The", "\xe2\x96\x81" "caf\xc3\xa9", "\xe4\xbd\xa0\xe5\xa5\xbd", "\xe2\x96\x81in",
    "\xe2\x96\x81Paris", "\x1b[31m", "\xe2\x96\x81serves", ".", "\xe2\x96\x81" "extraordinarily",
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

static void tokens(as_tokens *t, size_t n)
{
    t->n = n;
    t->v = calloc(n, sizeof *t->v);
    for (size_t i = 0; i < n; i++)
        t->v[i].text = strdup(WORDS[i % NWORDS]);
}

static as_tensor *matrix(size_t r, size_t c, bool causal)
{
    size_t shape[2] = {r, c};
    as_tensor *t = tensor_new(2, shape, NULL);
    if (!t)
        exit(1);
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++)
            t->data[i * c + j] = causal && i >= j ? NAN : (float)sin((double)i * 0.37 + (double)j * 0.91);
    return t;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t rows = argc > 2 ? strtoul(argv[1], NULL, 10) : 600;
    size_t cols = argc > 2 ? strtoul(argv[2], NULL, 10) : 200;
    as_seq s = {.cls = AS_CLS_COARSE, .attr_pos_start = 0, .attr_pos_end = (long)cols};
    tokens(&s.source, rows);
    tokens(&s.target, cols);
    s.source_attr = matrix(rows, cols, false);
    s.target_attr = matrix(cols, cols, true);
    s.step_scores.v = calloc(1, sizeof *s.step_scores.v);
    s.step_scores.v[0].name = strdup("probability");
    s.step_scores.v[0].t = tensor_new(1, &cols, NULL);
    for (size_t j = 0; j < cols; j++)
        s.step_scores.v[0].t->data[j] = (float)j / (float)cols;
    s.step_scores.n = 1;
    FILE *f = fopen("/dev/null", "w");
    if (!f)
        return 1;
    static const struct {
        const char *name;
        text_color c;
    } modes[] = {{"plain", TEXT_COLOR_NONE}, {"256", TEXT_COLOR_256}, {"truecolor", TEXT_COLOR_TRUE}};
    int rc = 0;
    for (size_t m = 0; m < 3; m++)
        for (int w = 0; w < 2; w++) {
            text_opts o = {.width = w ? 80 : 0, .color = modes[m].c, .mode = TOKENS_SENTENCEPIECE,
                           .label_flags = TOKENS_ESC_SPACE};
            as_error err = {0};
            double t0 = now();
            if (text_seq_write(f, &s, &o, &err)) {
                fprintf(stderr, "%s\n", err.msg);
                rc = 1;
            }
            fflush(f);
            printf("text %zux%zu (+ %zux%zu target) %-9s width %-9s %.3f s\n", rows, cols, cols,
                   cols, modes[m].name, w ? "80" : "unlimited", now() - t0);
        }
    fclose(f);
    attr_seq_free(&s);
    return rc;
}
