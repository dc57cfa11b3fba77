/* table.c - CSV and JSON writers of attribution tables (see table.h). */
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"

int table_fmt_f32(char *buf, size_t cap, float v)
{
    if (isnan(v))
        return snprintf(buf, cap, "NaN");
    if (isinf(v))
        return snprintf(buf, cap, v > 0 ? "Infinity" : "-Infinity");
    int n = snprintf(buf, cap, "%.6g", (double)v);
    if (strtof(buf, NULL) == v) {
        for (int p = 5; p >= 1; p--) {
            char t[32];
            int m = snprintf(t, sizeof t, "%.*g", p, (double)v);
            if (strtof(t, NULL) != v)
                break;
            memcpy(buf, t, (size_t)m + 1);
            n = m;
        }
        return n;
    }
    for (int p = 7; p <= 9; p++) {
        n = snprintf(buf, cap, "%.*g", p, (double)v);
        if (strtof(buf, NULL) == v)
            break;
    }
    return n;
}

/* ------------------------------------------------------------------ CSV */

void table_csv_field(FILE *f, const char *raw, unsigned flags)
{
    char small[512], *big = NULL;
    size_t len = strlen(raw);
    size_t need = TOKENS_ESCAPE_MAX(len);
    char *s = need <= sizeof small ? small : (big = malloc(need));
    if (!s) {
        /* out of memory: the field is left empty rather than written raw */
        fputs("\"\"", f);
        return;
    }
    tokens_escape(s, need, raw, len, 0);
    /* =, +, -, @, tab or CR first: a spreadsheet would run it as a formula */
    bool quote_mark = !(flags & TABLE_CSV_RAW) && s[0] && strchr("=+-@\t\r", s[0]);
    if (!quote_mark && !strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        free(big);
        return;
    }
    fputc('"', f);
    if (quote_mark)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
    free(big);
}

void table_csv_header(FILE *f, unsigned flags)
{
    fputs("sequence,kind,attributed_index,attributed_token,generated_index,generated_token,", f);
    fputs(flags & TABLE_CSV_SUB ? "sub_index,value\r\n" : "value\r\n", f);
}

void table_csv_row(FILE *f, const table_row *r, unsigned flags)
{
    fprintf(f, "%zu,", r->sequence);
    table_csv_field(f, r->kind, flags);
    if (r->attributed_index >= 0)
        fprintf(f, ",%ld,", r->attributed_index);
    else
        fputs(",,", f);
    if (r->attributed_token)
        table_csv_field(f, r->attributed_token, flags);
    fprintf(f, ",%zu,", r->generated_index);
    table_csv_field(f, r->generated_token ? r->generated_token : "", flags);
    if (flags & TABLE_CSV_SUB) {
        if (r->sub_index >= 0)
            fprintf(f, ",%ld", r->sub_index);
        else
            fputc(',', f);
    }
    char num[40];
    table_fmt_f32(num, sizeof num, r->value);
    fprintf(f, ",%s\r\n", num);
}

/* ----------------------------------------------------------------- JSON */

json_t *table_json_text(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *buf = malloc(3 * n + 1);
    if (!buf)
        return json_string("");
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = tokens_utf8_next(s + i, n - i, &cp);
        if (cp == 0) {
            buf[o++] = '\0';   /* the stored pair C0 80 */
        } else if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            memcpy(buf + o, "\xef\xbf\xbd", 3);
            o += 3;
        } else {
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += k;
    }
    json_t *j = json_stringn(buf, o);
    free(buf);
    return j ? j : json_string("");
}

int table_json_dump(FILE *f, const json_t *j, size_t flags)
{
    char *t = json_dumps(j, flags);
    if (!t)
        return -1;
    for (const char *p = t; *p; p++) {
        if (*p == 0x7f)
            fputs("\\u007f", f);
        else
            fputc(*p, f);
    }
    free(t);
    return 0;
}

void table_json_string(FILE *f, const char *s)
{
    json_t *j = table_json_text(s);
    if (table_json_dump(f, j, JSON_ENCODE_ANY | JSON_ENSURE_ASCII))
        fputs("\"\"", f);
    json_decref(j);
}

void table_json_num(FILE *f, float v)
{
    char b[40];
    if (!isfinite(v)) {
        fputs("null", f);
        return;
    }
    table_fmt_f32(b, sizeof b, v);
    fputs(b, f);
}
