/*
 * capi_test.c: exercises every part of include/msense.h against the built libMSenseC.so.
 *
 *     cc -std=c11 -Wall -Werror -Iinclude Tests/CAPI/capi_test.c -L.build/release -lMSenseC \
 *        -Wl,-rpath,$PWD/.build/release -lpthread -o capi_test && ./capi_test
 *
 * Prints one line per check and exits 1 when any fails (python/tests/test_capi.py runs it).
 */
#define _POSIX_C_SOURCE 200809L
#include "msense.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(condition, what)                                              \
    do {                                                                    \
        if (condition) {                                                    \
            printf("ok   %s\n", what);                                     \
        } else {                                                            \
            printf("FAIL %s (%s:%d: %s)\n", what, __FILE__, __LINE__, #condition); \
            failures++;                                                     \
        }                                                                   \
    } while (0)

/* What the callbacks saw. */
struct seen {
    char output[4096];
    size_t output_length;
    int displays;
    int saw_png;
    int saw_svg;
    int started;
    int rows;
    int finished;
    long long finished_done, finished_total;
    size_t finished_completed;
    char finished_column[32];
    double finished_value;
    size_t named_items;
    char last_row_first_column[64];
};

static void on_output(void *user, const char *text, size_t length) {
    struct seen *seen = user;
    if (seen->output_length + length < sizeof seen->output) {
        memcpy(seen->output + seen->output_length, text, length);
        seen->output_length += length;
        seen->output[seen->output_length] = 0;
    }
}

static void on_display(void *user, size_t count, const char *const *mime_types,
                       const unsigned char *const *data, const size_t *sizes) {
    struct seen *seen = user;
    seen->displays++;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(mime_types[i], "image/png") == 0 && sizes[i] > 8 && memcmp(data[i], "\x89PNG", 4) == 0)
            seen->saw_png = 1;
        if (strcmp(mime_types[i], "image/svg+xml") == 0 && sizes[i] > 5 && memcmp(data[i], "<?xml", 5) == 0)
            seen->saw_svg = 1;
    }
}

static void on_event(void *user, int event, const char *kind, long long done, long long total,
                     size_t count, const char *const *columns, const double *values) {
    struct seen *seen = user;
    (void)kind;
    /* What a generic host does with any event: read its `count` named values. */
    for (size_t i = 0; i < count; i++)
        if (columns[i][0] != 0 && values[i] == values[i]) seen->named_items++;
    if (event == MSENSE_EVENT_STARTED) seen->started++;
    if (event == MSENSE_EVENT_ROW) {
        seen->rows++;
        if (count > 0) snprintf(seen->last_row_first_column, sizeof seen->last_row_first_column, "%s", columns[0]);
    }
    if (event == MSENSE_EVENT_FINISHED) {
        seen->finished++;
        seen->finished_done = done, seen->finished_total = total, seen->finished_completed = count;
        if (count > 0) {
            snprintf(seen->finished_column, sizeof seen->finished_column, "%s", columns[0]);
            seen->finished_value = values[0];
        }
    }
}

/* hypot_scaled(x, y, scale = nil): sqrt(x² + y²) · scale; fails on non-numbers. */
static msense_value *hypot_scaled(void *user, msense_call *call) {
    int *calls = user;
    (*calls)++;
    double x, y, scale = 1;
    if (msense_value_number(msense_call_arg(call, 0), &x) != MSENSE_OK ||
        msense_value_number(msense_call_arg(call, 1), &y) != MSENSE_OK) {
        msense_call_fail(call, "hypot_scaled takes two numbers", "call it as hypot_scaled(3, 4)");
        return NULL;
    }
    if (msense_value_type(msense_call_arg(call, 2)) == MSENSE_NUMBER)
        msense_value_number(msense_call_arg(call, 2), &scale);
    return msense_new_number(sqrt(x * x + y * y) * scale);
}

/* A native function that returns its first argument (borrowed) through msense_value_copy. */
static msense_value *identity(void *user, msense_call *call) {
    (void)user;
    return msense_value_copy(msense_call_arg(call, 0));
}

/* A native function that returns its borrowed argument handle itself (allowed: msense takes it
 * as the result instead of freeing it after the call). */
static msense_value *returns_borrowed(void *user, msense_call *call) {
    (void)user;
    return (msense_value *)msense_call_arg(call, 0);
}

/* A native function that returns a pointer that is no handle: an error, not a crash. */
static msense_value *returns_garbage(void *user, msense_call *call) {
    (void)user; (void)call;
    return (msense_value *)(void *)&failures;
}

static int evaluate(msense_interpreter *I, const char *source, msense_value **result) {
    return msense_evaluate(I, source, strlen(source), result);
}

static double number_of(msense_value *value) {
    double x = NAN;
    msense_value_number(value, &x);
    return x;
}

/* Cancels every 50 ms until the run is over: a cancel that arrives before a run starts is
 * forgotten when it starts, so one early cancel alone could miss the loop. */
struct canceller {
    msense_interpreter *I;
    atomic_int done;
};

static void *cancel_until_done(void *argument) {
    struct canceller *c = argument;
    struct timespec pause = {0, 50 * 1000 * 1000};
    while (!atomic_load(&c->done)) {
        nanosleep(&pause, NULL);
        msense_cancel(c->I);
    }
    return NULL;
}

/* A native function that tries to change the sandbox of the interpreter running it. */
static msense_value *loosen_sandbox(void *user, msense_call *call) {
    (void)call;
    msense_interpreter *I = user;
    int refused = msense_set_limits(I, MSENSE_UNLIMITED, MSENSE_UNLIMITED) == MSENSE_MISUSE &&
                  msense_set_file_access(I, 1, 1, NULL) == MSENSE_MISUSE;
    return msense_new_bool(refused);
}

/* The sandbox: file access with and without a root, step limits, and their misuses. */
static void check_sandbox(void) {
    msense_interpreter *I = msense_new(NULL, 0, NULL, NULL, NULL, NULL);
    char root[] = "/tmp/msense-capi-XXXXXX";
    CHECK(mkdtemp(root) != NULL, "a folder for the sandbox's root");
    msense_value *value = NULL;
    const char *message;

    CHECK(msense_set_file_access(I, 1, 0, NULL) == MSENSE_OK, "msense_set_file_access forbids writing");
    CHECK(evaluate(I, "save([1, 2], \"/tmp/msense-capi-refused.json\")", NULL) == MSENSE_ERROR &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "writing files is disabled by the host") != NULL,
          "a save is refused when writing is disabled");
    CHECK(msense_set_file_access(I, 1, 1, root) == MSENSE_OK, "msense_set_file_access confines to a root");
    CHECK(evaluate(I, "save([1, 2], \"inside.json\")", NULL) == MSENSE_OK, "a relative path is written inside the root");
    char inside[64];
    snprintf(inside, sizeof inside, "%s/inside.json", root);
    FILE *file = fopen(inside, "r");
    CHECK(file != NULL, "the file is in the root folder");
    if (file) fclose(file);
    CHECK(evaluate(I, "load(\"../inside.json\")", NULL) == MSENSE_ERROR &&
              (message = msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE)) != NULL &&
              strstr(message, "outside the directory this script may use") != NULL,
          "a path that leaves the root is refused");
    CHECK(msense_run(I, "import \"/etc/hostname\"\n", 22, "imports.msense", NULL) == MSENSE_ERROR,
          "an import outside the root is refused");
    remove(inside);
    rmdir(root);
    CHECK(msense_set_file_access(I, 2, 0, NULL) == MSENSE_MISUSE && msense_misuse() != NULL, "a flag other than 0 or 1 is a misuse");
    CHECK(msense_set_file_access(I, 1, 1, "/no/such/folder") == MSENSE_MISUSE, "a root that is not a folder is a misuse");

    CHECK(msense_set_limits(I, 10000, MSENSE_UNLIMITED) == MSENSE_OK, "msense_set_limits sets a step limit");
    CHECK(evaluate(I, "let k = 0\nwhile true { k = k + 1 }", NULL) == MSENSE_ERROR &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "step limit exceeded") != NULL,
          "an endless loop ends at the step limit");
    CHECK(msense_set_limits(I, MSENSE_UNLIMITED, 1 << 20) == MSENSE_OK, "msense_set_limits sets a memory limit");
    CHECK(evaluate(I, "zeros(2000, 2000)", NULL) == MSENSE_ERROR &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "memory") != NULL,
          "a 32 MB matrix is refused under a 1 MiB memory limit");
    CHECK(msense_set_limits(I, -2, MSENSE_UNLIMITED) == MSENSE_MISUSE, "a limit below -1 is a misuse");
    CHECK(msense_set_limits(I, MSENSE_UNLIMITED, MSENSE_UNLIMITED) == MSENSE_OK &&
              evaluate(I, "1 + 1", &value) == MSENSE_OK && number_of(value) == 2,
          "the interpreter runs again once the limits are lifted");
    msense_value_free(value);

    const char *none[] = {NULL};
    CHECK(msense_register(I, "loosen_sandbox", NULL, none, 0, 0, loosen_sandbox, I) == MSENSE_OK &&
              evaluate(I, "loosen_sandbox()", &value) == MSENSE_OK && msense_value_bool(value, &(int){0}) == MSENSE_OK,
          "a native function is registered to change the sandbox during a run");
    int refused = 0;
    CHECK(value && msense_value_bool(value, &refused) == MSENSE_OK && refused,
          "changing the sandbox while the interpreter runs is a misuse");
    msense_value_free(value);
    CHECK(msense_set_limits(NULL, 1, 1) == MSENSE_MISUSE && msense_set_file_access(NULL, 1, 1, NULL) == MSENSE_MISUSE,
          "a NULL interpreter is a misuse for the sandbox calls");
    msense_free(I);
}

/* A native function that tries to change which events the interpreter running it reports. */
static msense_value *change_events(void *user, msense_call *call) {
    (void)call;
    return msense_new_bool(msense_set_events(user, MSENSE_EVENTS_ALL) == MSENSE_MISUSE);
}

/* msense_set_events: the callback hears only the kinds asked for; bad masks are misuses. */
static void check_event_selection(void) {
    struct seen seen;
    memset(&seen, 0, sizeof seen);
    msense_interpreter *I = msense_new(NULL, 0, NULL, NULL, on_event, &seen);
    const char *experiment =
        "seed(1)\n"
        "gd(sensing(psd(6, eigs: [1.0]), gaussian(m: 120, d: 6)), init: small(6, 2, alpha: 1e-3), lr: 0.1, steps: 60, every: 10)\n";
    CHECK(msense_set_events(I, MSENSE_EVENTS_STARTED | MSENSE_EVENTS_PROGRESS | MSENSE_EVENTS_FINISHED) == MSENSE_OK,
          "msense_set_events leaves out rows");
    CHECK(evaluate(I, experiment, NULL) == MSENSE_OK && seen.started == 1 && seen.finished == 1 && seen.rows == 0,
          "without MSENSE_EVENTS_ROW a gd run reports started and finished but no row");
    memset(&seen, 0, sizeof seen);
    CHECK(msense_set_events(I, MSENSE_EVENTS_ROW) == MSENSE_OK && evaluate(I, experiment, NULL) == MSENSE_OK &&
              seen.rows == 7 && seen.started == 0 && seen.finished == 0 && strcmp(seen.last_row_first_column, "step") == 0,
          "with MSENSE_EVENTS_ROW alone a gd run reports its 7 rows and nothing else");
    memset(&seen, 0, sizeof seen);
    CHECK(msense_set_events(I, 0) == MSENSE_OK && evaluate(I, experiment, NULL) == MSENSE_OK &&
              seen.rows + seen.started + seen.finished == 0,
          "an empty mask silences every event");
    CHECK(msense_set_events(I, MSENSE_EVENTS_ALL << 1) == MSENSE_MISUSE && msense_misuse() != NULL &&
              strstr(msense_misuse(), "MSENSE_EVENTS_ALL") != NULL,
          "a mask with an unknown bit is a misuse naming the known ones");
    const char *none[] = {NULL};
    msense_value *value = NULL;
    int refused = 0;
    CHECK(msense_register(I, "change_events", NULL, none, 0, 0, change_events, I) == MSENSE_OK &&
              evaluate(I, "change_events()", &value) == MSENSE_OK && msense_value_bool(value, &refused) == MSENSE_OK && refused,
          "changing the events while the interpreter runs is a misuse");
    msense_value_free(value);
    memset(&seen, 0, sizeof seen);
    CHECK(msense_set_events(I, MSENSE_EVENTS_ALL) == MSENSE_OK && evaluate(I, experiment, NULL) == MSENSE_OK &&
              seen.started == 1 && seen.rows == 7 && seen.finished == 1,
          "MSENSE_EVENTS_ALL reports every event again");
    CHECK(msense_set_events(NULL, MSENSE_EVENTS_ALL) == MSENSE_MISUSE, "a NULL interpreter is a misuse for msense_set_events");
    msense_free(I);
}

/* A native function that records how it was called: on which thread, and how many calls were
 * in progress at once (it sleeps 20 ms so that overlapping calls would be seen). */
struct probe_log {
    pthread_t first_thread;
    atomic_int calls;
    atomic_int inside;
    atomic_int most_at_once;
    atomic_int other_threads;
};

static msense_value *probe(void *user, msense_call *call) {
    struct probe_log *log = user;
    if (atomic_fetch_add(&log->calls, 1) == 0) log->first_thread = pthread_self();
    else if (!pthread_equal(log->first_thread, pthread_self())) atomic_fetch_add(&log->other_threads, 1);
    int inside = atomic_fetch_add(&log->inside, 1) + 1;
    int most = atomic_load(&log->most_at_once);
    while (inside > most && !atomic_compare_exchange_weak(&log->most_at_once, &most, inside)) {}
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    atomic_fetch_sub(&log->inside, 1);
    double x = 0;
    msense_value_number(msense_call_arg(call, 0), &x);
    return msense_new_number(x * 10);
}

/* A sweep with jobs > 1 that reaches a native function runs its points on the run thread: the
 * function is never entered twice at once, never from another thread, never replayed. */
static void check_native_functions_in_sweeps(void) {
    struct seen seen;
    memset(&seen, 0, sizeof seen);
    struct probe_log log;
    memset(&log, 0, sizeof log);
    msense_interpreter *I = msense_new(NULL, 0, on_output, NULL, NULL, &seen);
    const char *x[] = {"x"};
    CHECK(msense_register(I, "probe", NULL, x, 1, 1, probe, &log) == MSENSE_OK, "msense_register registers probe");
    const char *script =
        "let first = probe(0)\n"
        "fn f(p) => {y: probe(p.a) + first}\n"
        "let t = sweep({a: [1, 2, 3, 4, 5, 6, 7, 8]}, f, jobs: 4)\n"
        "print(t.y)\n";
    CHECK(msense_run(I, script, strlen(script), "probe.msense", NULL) == MSENSE_OK &&
              strcmp(seen.output, "[10, 20, 30, 40, 50, 60, 70, 80]\n") == 0,
          "a sweep with jobs: 4 over a native function gives its table");
    CHECK(atomic_load(&log.most_at_once) == 1 && atomic_load(&log.other_threads) == 0,
          "the native function runs on the run thread, one call at a time");
    CHECK(atomic_load(&log.calls) == 9, "the native function runs once per call the script makes");
    msense_free(I);
}

/* Under an address-space limit too tight for the sweep workers' 512 MiB stacks, a sweep with
 * deeply nested source runs its points on the run thread instead of crashing on a small stack. */
static void check_address_space_limit(void) {
#ifdef __linux__
    FILE *statm = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    int read = statm != NULL && fscanf(statm, "%lu", &pages) == 1;
    if (statm != NULL) fclose(statm);
    struct rlimit saved;
    if (!read || getrlimit(RLIMIT_AS, &saved) != 0) {
        CHECK(0, "the process's size and address-space limit can be read");
        return;
    }
    struct rlimit tight = saved;
    tight.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)700 << 20);
    if (saved.rlim_max != RLIM_INFINITY && tight.rlim_cur > saved.rlim_max) tight.rlim_cur = saved.rlim_max;
    struct seen seen;
    memset(&seen, 0, sizeof seen);
    msense_interpreter *I = msense_new(NULL, 0, on_output, NULL, NULL, &seen);
    char script[2048];
    size_t at = (size_t)snprintf(script, sizeof script, "let x = ");
    for (int i = 0; i < 200; i++) script[at++] = '(';
    script[at++] = '1';
    for (int i = 0; i < 200; i++) script[at++] = ')';
    snprintf(script + at, sizeof script - at,
             "\nfn f(p) {\n  let total = 0\n  for i in 0..p.a { total = total + i }\n  return {total: total}\n}\n"
             "let t = sweep({a: [10, 5000, 30, 40]}, f, jobs: 4)\nprint(t.total)\n");
    CHECK(setrlimit(RLIMIT_AS, &tight) == 0, "RLIMIT_AS is lowered to the process's size + 700 MiB");
    int status = msense_run(I, script, strlen(script), "tight.msense", NULL);
    setrlimit(RLIMIT_AS, &saved);
    CHECK(status == MSENSE_OK && strstr(seen.output, "[45, 12497500, 435, 780]\n") != NULL &&
              strstr(seen.output, "could start") != NULL,
          "a sweep whose workers cannot reserve their stacks runs its points in the interpreter");
    msense_free(I);
#endif
}

int main(void) {
    struct seen seen;
    memset(&seen, 0, sizeof seen);
    const char *arguments[] = {"first", "second"};
    msense_interpreter *I = msense_new(arguments, 2, on_output, on_display, on_event, &seen);
    CHECK(I != NULL, "msense_new makes an interpreter");
    CHECK(msense_version() != NULL && strlen(msense_version()) > 0, "msense_version is a string");

    /* Running source, output, globals persisting across runs. */
    const char *script = "let greeting = \"hello\"\nprint(greeting, args[1])\nlet n = 2 + 3\n";
    CHECK(msense_run(I, script, strlen(script), "greet.msense", NULL) == MSENSE_OK, "msense_run runs a script");
    CHECK(strcmp(seen.output, "hello second\n") == 0, "print goes to the output callback");
    msense_value *value = NULL;
    CHECK(evaluate(I, "n * 10", &value) == MSENSE_OK && number_of(value) == 50, "evaluate sees globals of earlier runs");
    msense_value_free(value);

    /* Numbers, strings, bools, lists, records, ranges. */
    value = msense_get_global(I, "greeting");
    size_t length = 0;
    const char *text = msense_value_string(value, &length);
    CHECK(msense_value_type(value) == MSENSE_STRING && text && strcmp(text, "hello") == 0 && length == 5,
          "a string global reads as UTF-8 with its length");
    msense_value_free(value);
    CHECK(msense_get_global(I, "no_such_name") == NULL, "an undefined global is NULL");

    CHECK(evaluate(I, "[1, \"two\", [3]]", &value) == MSENSE_OK && msense_value_type(value) == MSENSE_LIST &&
              msense_value_length(value) == 3, "a list has its length");
    msense_value *item = msense_value_item(value, 1);
    CHECK(item && strcmp(msense_value_string(item, NULL), "two") == 0, "list items read by index");
    msense_value_free(item);
    CHECK(msense_value_item(value, 3) == NULL && msense_misuse() != NULL, "an index past the end is a misuse, not a crash");
    CHECK(strcmp(msense_value_display(value), "[1, \"two\", [3]]") == 0, "display text is what print shows");
    double leading[3] = {0, -1, -1};
    CHECK(msense_value_numbers(value, leading, 3) == 1 && leading[0] == 1 && leading[1] == -1,
          "a list's leading numbers are copied up to its first other item");
    msense_value_free(value);

    /* Lists of numbers in one call, both ways. */
    double vector[] = {0.5, -2, 1e300, 4};
    msense_value *numbers = msense_new_number_list(vector, 4);
    CHECK(msense_set_global(I, "v", numbers) == MSENSE_OK, "set_global defines a list of numbers");
    msense_value_free(numbers);
    CHECK(evaluate(I, "[v[0] + v[3], len(v), v[2] / 1e300]", &value) == MSENSE_OK && msense_value_length(value) == 3,
          "a list of numbers from a host is a list scripts index");
    double back[4] = {0};
    CHECK(msense_value_numbers(value, back, 4) == 3 && back[0] == 4.5 && back[1] == 4 && back[2] == 1,
          "a list of numbers reads back in one call");
    CHECK(msense_value_numbers(value, back, 2) == 2 && msense_value_numbers(value, NULL, 0) == 0,
          "no more numbers are copied than the capacity");
    msense_value_free(value);
    CHECK(evaluate(I, "3..7", &value) == MSENSE_OK && msense_value_numbers(value, back, 4) == 4 && back[0] == 3 && back[3] == 6,
          "a range reads as its integers");
    msense_value_free(value);
    CHECK(msense_new_number_list(NULL, 2) == NULL && msense_misuse() != NULL, "NULL numbers with a count is a misuse");

    /* Stacks of matrices as arrays, both ways. */
    double stack[2 * 2 * 3];
    for (int i = 0; i < 12; i++) stack[i] = i;
    size_t stack_shape[] = {2, 2, 3};
    msense_value *array = msense_new_array(stack, stack_shape, 3);
    CHECK(array && msense_value_type(array) == MSENSE_OBJECT && strcmp(msense_value_type_name(array), "array") == 0,
          "a host array is an msense array");
    CHECK(msense_set_global(I, "S", array) == MSENSE_OK, "set_global defines an array global");
    msense_value_free(array);
    CHECK(evaluate(I, "S[1][0, 2]", &value) == MSENSE_OK && number_of(value) == 8, "arrays keep their row-major layout");
    msense_value_free(value);
    CHECK(evaluate(I, "S", &value) == MSENSE_OK, "an array global reads back");
    size_t dimensions = 0, sizes[8] = {0};
    const double *stacked = msense_value_array(value, &dimensions, sizes);
    CHECK(stacked && dimensions == 3 && sizes[0] == 2 && sizes[1] == 2 && sizes[2] == 3 && stacked[11] == 11,
          "an array's elements read with its shape");
    CHECK(msense_value_array(value, NULL, NULL) == stacked, "shape and dimensions may be NULL");
    msense_value_free(value);
    CHECK(msense_new_array(stack, stack_shape, 2) == NULL && msense_misuse() != NULL, "two dimensions are a matrix, not an array");
    size_t huge[] = {(size_t)1 << 40, (size_t)1 << 40, 2};
    CHECK(msense_new_array(stack, huge, 3) == NULL && msense_misuse() != NULL, "an impossible array shape is refused");
    msense_value *nothing = msense_new_nil();
    CHECK(msense_value_array(nothing, NULL, NULL) == NULL && msense_misuse() != NULL, "another value has no array elements");
    msense_value_free(nothing);
    numbers = msense_new_number_list(NULL, 0);
    CHECK(numbers && msense_value_length(numbers) == 0, "an empty list of numbers needs no data");
    CHECK(msense_value_numbers(numbers, NULL, 5) == 0 && msense_misuse() != NULL, "NULL out with a capacity is a misuse");
    msense_value_free(numbers);

    CHECK(evaluate(I, "{lr: 0.05, name: \"gd\", ok: true}", &value) == MSENSE_OK && msense_value_type(value) == MSENSE_RECORD &&
              msense_value_length(value) == 3 && strcmp(msense_value_field_name(value, 2), "ok") == 0,
          "a record has its fields in order");
    msense_value *field = msense_value_field(value, "lr");
    CHECK(number_of(field) == 0.05, "record fields read by name");
    msense_value_free(field);
    field = msense_value_field(value, "ok");
    int flag = 0;
    CHECK(msense_value_bool(field, &flag) == MSENSE_OK && flag == 1, "bools read as 0 or 1");
    msense_value_free(field);
    msense_value_free(value);

    CHECK(evaluate(I, "2..5", &value) == MSENSE_OK && msense_value_type(value) == MSENSE_RANGE &&
              msense_value_length(value) == 3, "a range has its length");
    item = msense_value_item(value, 2);
    CHECK(number_of(item) == 4, "range items are its integers");
    msense_value_free(item);
    msense_value_free(value);

    /* Matrices: contiguous float64, row-major, with the shape. */
    CHECK(evaluate(I, "[1, 2, 3; 4, 5, 6]", &value) == MSENSE_OK && msense_value_type(value) == MSENSE_MATRIX,
          "a matrix literal is a matrix");
    size_t rows = 0, cols = 0;
    const double *elements = msense_value_matrix(value, &rows, &cols);
    CHECK(elements && rows == 2 && cols == 3 && elements[0 * 3 + 2] == 3 && elements[1 * 3 + 0] == 4,
          "matrix elements are row-major with their shape");
    msense_value_free(value);
    double data[] = {1, 2, 3, 4};
    msense_value *matrix = msense_new_matrix(data, 2, 2);
    CHECK(msense_set_global(I, "M", matrix) == MSENSE_OK, "set_global defines a matrix global");
    msense_value_free(matrix);
    CHECK(evaluate(I, "trace_of_M = M[0, 0] + M[1, 1]", NULL) != MSENSE_MISUSE, "scripts read globals the host set");
    CHECK(evaluate(I, "M[0, 1] * 10 + M[1, 0]", &value) == MSENSE_OK && number_of(value) == 23,
          "a host matrix keeps its row-major layout");
    msense_value_free(value);

    /* A gd run: events, the run object, its trace as named columns. */
    const char *experiment =
        "seed(1)\n"
        "let problem = sensing(psd(6, eigs: [1.0, 0.5]), gaussian(m: 120, d: 6))\n"
        "let run = gd(problem, init: small(6, 3, alpha: 1e-3), lr: 0.1, steps: 60, every: 10)\n"
        "run\n";
    CHECK(msense_run(I, experiment, strlen(experiment), "experiment.msense", &value) == MSENSE_OK &&
              msense_value_type(value) == MSENSE_OBJECT && strcmp(msense_value_type_name(value), "run") == 0,
          "a gd run returns a run object");
    CHECK(seen.started == 1 && seen.finished == 1 && seen.rows >= 6 && strcmp(seen.last_row_first_column, "step") == 0,
          "gd reports started, rows and finished events");
    CHECK(seen.finished_done == 60 && seen.finished_total == 60 && seen.finished_completed == 1,
          "the finished event gives the steps made and 1 for a run that returned its result");
    CHECK(strcmp(seen.finished_column, "completed") == 0 && seen.finished_value == 1,
          "a completed run's finished event names its one value, as every event's count does");
    msense_value *trace = msense_value_field(value, "trace");
    size_t trace_rows = 0, trace_columns = 0;
    CHECK(trace && msense_value_type(trace) == MSENSE_TRACE &&
              msense_value_trace(trace, &trace_rows, &trace_columns) == MSENSE_OK && trace_rows >= 6 && trace_columns > 2,
          "run.trace is a trace with rows and columns");
    int found_loss = 0;
    for (size_t j = 0; j < trace_columns; j++) {
        if (strcmp(msense_value_trace_column_name(trace, j), "loss") == 0) {
            const double *loss = msense_value_trace_column(trace, j);
            found_loss = loss && loss[trace_rows - 1] < loss[0];
        }
    }
    CHECK(found_loss, "the loss column is contiguous and decreases");
    msense_value_free(trace);
    msense_value_free(value);

    /* Figures without a path go to the display callback as PNG and SVG. */
    CHECK(evaluate(I, "plot(run.trace, log_y: true)", NULL) == MSENSE_OK && seen.displays == 1 && seen.saw_png && seen.saw_svg,
          "plot without a path is displayed as PNG and SVG");
    CHECK(evaluate(I, "show(panel([line([0, 1], [1, 2])]))", &value) == MSENSE_OK && seen.displays == 2,
          "show displays a panel");
    msense_value_free(value);

    /* Native functions. */
    int calls = 0;
    const char *parameters[] = {"x", "y", "scale"};
    CHECK(msense_register(I, "hypot_scaled", "sqrt(x² + y²) times scale", parameters, 3, 2, hypot_scaled, &calls) == MSENSE_OK,
          "register a native function");
    CHECK(evaluate(I, "hypot_scaled(3, 4) + hypot_scaled(3, 4, scale: 10)", &value) == MSENSE_OK && number_of(value) == 55 && calls == 2,
          "scripts call it positionally and by name");
    msense_value_free(value);
    CHECK(evaluate(I, "hypot_scaled(\"a\", 4)", NULL) == MSENSE_ERROR &&
              strcmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "hypot_scaled: hypot_scaled takes two numbers") == 0 &&
              strcmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_HINT), "call it as hypot_scaled(3, 4)") == 0,
          "msense_call_fail becomes a located error with its hint");
    CHECK(evaluate(I, "hypot_scaled(1)", NULL) == MSENSE_ERROR, "a missing argument is reported before the call");
    const char *one[] = {"x"};
    msense_register(I, "identity", NULL, one, 1, 1, identity, NULL);
    msense_register(I, "returns_borrowed", NULL, one, 1, 1, returns_borrowed, NULL);
    msense_register(I, "returns_garbage", NULL, one, 0, 0, returns_garbage, NULL);
    CHECK(evaluate(I, "returns_garbage()", NULL) == MSENSE_ERROR &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "not a new value handle") != NULL,
          "returning a pointer that is no handle is a script error, not a crash");
    CHECK(evaluate(I, "identity([5, 6])", &value) == MSENSE_OK && msense_value_length(value) == 2, "a native function returns a copy of an argument");
    msense_value_free(value);
    CHECK(evaluate(I, "returns_borrowed(7)", &value) == MSENSE_OK && number_of(value) == 7,
          "returning the argument handle itself gives that value");
    msense_value_free(value);
    CHECK(evaluate(I, "returns_borrowed(returns_borrowed(8))", &value) == MSENSE_OK && number_of(value) == 8,
          "and leaves no dangling handle behind");
    msense_value_free(value);

    /* Diagnostics: structured fields and the rendered text. */
    const char *broken = "let x = 1\nprint(x +)\n";
    CHECK(msense_run(I, broken, strlen(broken), "broken.msense", NULL) == MSENSE_ERROR && msense_diagnostic_count(I) >= 1,
          "a syntax error fails with diagnostics");
    long line = 0, column = 0;
    msense_diagnostic_position(I, 0, &line, &column);
    CHECK(line == 2 && column > 1 && strcmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_PATH), "broken.msense") == 0 &&
              strcmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_SEVERITY), "error") == 0 &&
              strcmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_SOURCE_LINE), "print(x +)") == 0,
          "the diagnostic has path, line, column, severity and source line");
    CHECK(strncmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_RENDERED), "broken.msense:2:", 16) == 0 &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_RENDERED), "^") != NULL,
          "the rendered text starts file:line: and carries a caret");
    CHECK(evaluate(I, "let alpha = 1\nalpah + 1", NULL) == MSENSE_ERROR && msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_HINT) &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_HINT), "alpha") != NULL,
          "an unknown name gets a did-you-mean hint");
    CHECK(msense_run_file(I, "/no/such/file.msense", NULL) == MSENSE_ERROR &&
              strstr(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "cannot read") != NULL,
          "a missing file is a diagnostic");

    /* Cancel from another thread. */
    pthread_t thread;
    struct canceller canceller = {I, 0};
    pthread_create(&thread, NULL, cancel_until_done, &canceller);
    int status = evaluate(I, "let k = 0\nwhile true { k = k + 1 }", NULL);
    atomic_store(&canceller.done, 1);
    pthread_join(thread, NULL);
    CHECK(status == MSENSE_CANCELLED && strcmp(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_MESSAGE), "cancelled") == 0,
          "msense_cancel from another thread stops an endless loop");
    CHECK(evaluate(I, "k > 0", &value) == MSENSE_OK && msense_value_bool(value, &flag) == MSENSE_OK && flag,
          "the session survives a cancelled run");
    msense_value_free(value);

    /* Globals listing, completion, help, incomplete input. */
    size_t names = msense_globals(I);
    int found_greeting = 0;
    for (size_t i = 0; i < names; i++) found_greeting |= strcmp(msense_global_name(I, i), "greeting") == 0;
    CHECK(found_greeting, "msense_globals lists the script's globals");
    size_t candidates = msense_complete(I, "let p = gau", "gau");
    CHECK(candidates >= 1 && strcmp(msense_completion(I, 0), "gaussian") == 0, "completion of gau offers gaussian");
    candidates = msense_complete(I, "run.tr", "tr");
    CHECK(candidates == 1 && strcmp(msense_completion(I, 0), "trace") == 0, "completion after run. offers its fields");
    const char *help = msense_help(I, "gd");
    CHECK(help && strncmp(help, "gd(", 3) == 0 && strstr(help, "example:") != NULL, "help gives the :help text of gd");
    CHECK(msense_help(I, "not_a_builtin") == NULL, "help of an unknown name is NULL");
    CHECK(msense_is_incomplete(I, "for i in 0..3 {") == 1 && msense_is_incomplete(I, "1 + 1") == 0, "incomplete input is recognised");

    check_sandbox();
    check_event_selection();
    check_native_functions_in_sweeps();
    check_address_space_limit();

    /* Misuse never crashes. */
    CHECK(msense_run(NULL, "1", 1, NULL, NULL) == MSENSE_MISUSE && msense_misuse() != NULL, "a NULL interpreter is a misuse");
    CHECK(msense_evaluate((msense_interpreter *)(void *)&seen, "1", 1, NULL) == MSENSE_MISUSE, "a forged interpreter pointer is a misuse");
    value = msense_new_number(1);
    CHECK(msense_evaluate((msense_interpreter *)(void *)value, "1", 1, NULL) == MSENSE_MISUSE, "a value handle is not an interpreter");
    msense_value_free(value);
    CHECK(msense_value_type(value) == MSENSE_MISUSE, "a freed value handle is a misuse");
    msense_value_free(value); /* double free: reported, not a crash */
    CHECK(msense_evaluate(I, "\"\xff\xfe\"", 4, NULL) == MSENSE_ERROR, "invalid UTF-8 source is a diagnostic");
    CHECK(msense_get_global(I, "\xc3\x28") == NULL && msense_misuse() != NULL, "an invalid UTF-8 name is a misuse");
    CHECK(msense_new_string("\xe2\x82", 2) == NULL, "an invalid UTF-8 string value is refused");
    CHECK(msense_evaluate(I, NULL, 5, NULL) == MSENSE_MISUSE, "NULL source with a length is a misuse");
    CHECK(msense_new_matrix(data, (size_t)-1, 2) == NULL, "an impossible matrix shape is refused");
    CHECK(msense_set_global(I, "while", msense_new_nil()) == MSENSE_MISUSE, "a keyword is not a global name");
    CHECK(msense_register(I, "f", NULL, NULL, 2, 0, identity, NULL) == MSENSE_MISUSE, "NULL parameter names with a count is a misuse");
    CHECK(msense_diagnostic_text(I, 99, MSENSE_DIAGNOSTIC_MESSAGE) == NULL, "a diagnostic index out of range is a misuse");
    CHECK(msense_value_matrix(NULL, NULL, NULL) == NULL && msense_value_string(NULL, NULL) == NULL, "NULL values are misuses");

    msense_free(I);
    CHECK(msense_evaluate(I, "1", 1, NULL) == MSENSE_MISUSE, "a freed interpreter is a misuse");
    msense_free(I);

    printf("%d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
