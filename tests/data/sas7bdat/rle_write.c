/* Write an RLE-compressed ("COMPRESS=CHAR") SAS data set with ReadStat's own writer, the library
 * inside R's haven (haven::write_sas writes uncompressed files only and has no option for it).
 * The program links against haven's shared library, which exports ReadStat's writer API; the
 * few declarations needed are copied here from ReadStat's readstat.h (MIT).
 *
 * Input: a plain CSV (comma-separated, no quoting, header line). A column is numeric when every
 * value is a number, empty, NA (written as `.`) or .A-.Z (written as that special missing value).
 *
 * Build and run (from the repository root; see make_compressed.R):
 *   gcc -O1 -o /tmp/rle_write tests/data/sas7bdat/rle_write.c \
 *     /usr/lib/R/site-library/haven/libs/haven.so -L/usr/lib/R/lib -lR \
 *     -Wl,-rpath,/usr/lib/R/site-library/haven/libs:/usr/lib/R/lib
 *   /tmp/rle_write IN.csv OUT.sas7bdat "data set label"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct readstat_writer_s readstat_writer_t;
typedef struct readstat_variable_s readstat_variable_t;
typedef int readstat_error_t;
enum { READSTAT_TYPE_STRING = 0, READSTAT_TYPE_DOUBLE = 5 };
enum { READSTAT_COMPRESS_ROWS = 1 };
typedef ssize_t (*readstat_data_writer)(const void *data, size_t len, void *ctx);

readstat_writer_t *readstat_writer_init(void);
readstat_error_t readstat_set_data_writer(readstat_writer_t *, readstat_data_writer);
readstat_variable_t *readstat_add_variable(readstat_writer_t *, const char *, int, size_t);
void readstat_variable_set_label(readstat_variable_t *, const char *);
readstat_error_t readstat_writer_set_file_label(readstat_writer_t *, const char *);
readstat_error_t readstat_writer_set_compression(readstat_writer_t *, int);
readstat_error_t readstat_begin_writing_sas7bdat(readstat_writer_t *, void *, long);
readstat_error_t readstat_begin_row(readstat_writer_t *);
readstat_error_t readstat_insert_double_value(readstat_writer_t *, const readstat_variable_t *, double);
readstat_error_t readstat_insert_string_value(readstat_writer_t *, const readstat_variable_t *, const char *);
readstat_error_t readstat_insert_missing_value(readstat_writer_t *, const readstat_variable_t *);
readstat_error_t readstat_insert_tagged_missing_value(readstat_writer_t *, const readstat_variable_t *, char);
readstat_error_t readstat_end_row(readstat_writer_t *);
readstat_error_t readstat_end_writing(readstat_writer_t *);
void readstat_writer_free(readstat_writer_t *);
const char *readstat_error_message(readstat_error_t);

static ssize_t write_bytes(const void *data, size_t len, void *ctx) {
    return (ssize_t)fwrite(data, 1, len, (FILE *)ctx);
}

#define MAX_COLS 512
#define MAX_ROWS 100000

static char *cell[MAX_ROWS][MAX_COLS];

static int is_missing(const char *s) { return s[0] == '\0' || strcmp(s, "NA") == 0; }
static int is_special(const char *s) { return s[0] == '.' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0'; }
static int is_number(const char *s) {
    char *end;
    strtod(s, &end);
    return end != s && *end == '\0';
}

static void check(readstat_error_t e, const char *what) {
    if (e != 0) {
        fprintf(stderr, "%s: %s\n", what, readstat_error_message(e));
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: rle_write IN.csv OUT.sas7bdat LABEL\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 1; }
    static char line[1 << 20];
    int ncol = 0, nrow = -1;
    char *names[MAX_COLS];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        char **dest = nrow < 0 ? names : cell[nrow];
        int c = 0;
        char *p = line;
        for (;;) {
            char *comma = strchr(p, ',');
            if (comma) *comma = '\0';
            if (c >= MAX_COLS) { fprintf(stderr, "too many columns\n"); return 1; }
            dest[c++] = strdup(p);
            if (!comma) break;
            p = comma + 1;
        }
        if (nrow < 0) ncol = c;
        else if (c != ncol) { fprintf(stderr, "row %d: %d fields\n", nrow + 1, c); return 1; }
        if (++nrow >= MAX_ROWS) { fprintf(stderr, "too many rows\n"); return 1; }
    }
    fclose(in);

    readstat_writer_t *w = readstat_writer_init();
    check(readstat_set_data_writer(w, write_bytes), "data writer");
    check(readstat_writer_set_file_label(w, argv[3]), "file label");
    check(readstat_writer_set_compression(w, READSTAT_COMPRESS_ROWS), "compression");
    readstat_variable_t *var[MAX_COLS];
    int numeric[MAX_COLS];
    for (int c = 0; c < ncol; c++) {
        size_t width = 1;
        numeric[c] = 1;
        for (int r = 0; r < nrow; r++) {
            const char *s = cell[r][c];
            if (strlen(s) > width) width = strlen(s);
            if (!is_missing(s) && !is_special(s) && !is_number(s)) numeric[c] = 0;
        }
        var[c] = readstat_add_variable(w, names[c], numeric[c] ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_STRING,
                                       numeric[c] ? 8 : width);
        char label[300];
        snprintf(label, sizeof label, "Label of %s", names[c]);
        readstat_variable_set_label(var[c], label);
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); return 1; }
    check(readstat_begin_writing_sas7bdat(w, out, nrow), "begin");
    for (int r = 0; r < nrow; r++) {
        check(readstat_begin_row(w), "begin row");
        for (int c = 0; c < ncol; c++) {
            const char *s = cell[r][c];
            if (!numeric[c]) check(readstat_insert_string_value(w, var[c], s), "string");
            else if (is_special(s)) check(readstat_insert_tagged_missing_value(w, var[c], s[1]), "special missing");
            else if (is_missing(s)) check(readstat_insert_missing_value(w, var[c]), "missing");
            else check(readstat_insert_double_value(w, var[c], strtod(s, NULL)), "double");
        }
        check(readstat_end_row(w), "end row");
    }
    check(readstat_end_writing(w), "end");
    readstat_writer_free(w);
    fclose(out);
    return 0;
}
