/*
 * msense.h: the C API of msense, the scripting language for matrix-sensing experiments.
 *
 * The whole embedding surface is in this one header; the library is libMSenseC.so, built by
 * `swift build -c release` into .build/release/ (docs/python.md shows how to compile against it).
 *
 *     msense_interpreter *I = msense_new(NULL, 0, my_output, my_display, NULL, my_data);
 *     msense_value *result = NULL;
 *     if (msense_evaluate(I, "1 + 2", 5, &result) == MSENSE_OK) {
 *         double x;
 *         msense_value_number(result, &x);            // x == 3
 *         msense_value_free(result);
 *     } else {
 *         fputs(msense_diagnostic_text(I, 0, MSENSE_DIAGNOSTIC_RENDERED), stderr);
 *     }
 *     msense_free(I);
 *
 * Handles. msense_interpreter, msense_value and msense_call are opaque handles. The library
 * never dereferences a handle the host passes: it looks it up in a table, so a NULL, freed,
 * forged or wrong-kind handle makes the call fail as a misuse (MSENSE_MISUSE, NULL, 0) instead of
 * crashing, and msense_misuse() says why. The same holds for strings that are not valid UTF-8,
 * out-of-range indices and counts, and calls on an interpreter that is already running.
 *
 * Ownership. A function returning `msense_value *` gives the caller a new handle to free with
 * msense_value_free, unless its comment says "borrowed". A returned `const char *` or
 * `const double *` belongs to the library: it stays valid as long as the object named in the
 * function's comment (a value handle, or the interpreter until the stated next call).
 * Strings passed in are copied; the host may free them after the call returns.
 *
 * Threads. Calls on one interpreter must not overlap: run, evaluate, register and set_global
 * return MSENSE_MISUSE when the interpreter is already running, including when a callback calls
 * them. msense_cancel may be called from any thread at any time. The callbacks (output, display,
 * event, native functions) run on a thread the library creates for each run (with a 512 MiB
 * stack of address space; when it cannot be made, as under a tight `ulimit -v`, the run returns
 * MSENSE_ERROR with a diagnostic saying so, having run nothing), while msense_run /
 * msense_evaluate block the calling thread until the run ends.
 * Value handles may be read from any thread; lists and records are shared with the script, so
 * read them while their interpreter is not running.
 *
 * Errors. A run that fails returns MSENSE_ERROR (or MSENSE_CANCELLED) and keeps its diagnostics
 * until the next run on that interpreter: path, line, column, message, hint, the source line and
 * the rendered text (`file:line:col: error: …`, the line, a caret, the hint).
 */
#ifndef MSENSE_H
#define MSENSE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------------------------ */

#define MSENSE_OK 0         /* the call succeeded */
#define MSENSE_ERROR 1      /* the script failed: see msense_diagnostic_count / _text */
#define MSENSE_CANCELLED 2  /* msense_cancel stopped the run (one "cancelled" diagnostic) */
#define MSENSE_MISUSE (-1)  /* bad handle, NULL, invalid UTF-8, out of range, or overlapping calls */

typedef struct msense_interpreter msense_interpreter;
typedef struct msense_value msense_value;
typedef struct msense_call msense_call;

/* The library's version, e.g. "0.1.0" (static storage). */
const char *msense_version(void);

/* Why the last call that failed as a misuse on this thread did so, or NULL when none has.
 * Valid until the next misuse on this thread. */
const char *msense_misuse(void);

/* ---- Callbacks ------------------------------------------------------------------------------ */

/* Receives everything the script prints: `length` bytes of UTF-8 at `text` (also NUL-terminated).
 * `text` is valid only during the call. */
typedef void (*msense_output_fn)(void *user, const char *text, size_t length);

/* Receives something the script shows (a figure made without a file path, or show(...)) in
 * `count` alternative encodings, best first: mime_types[i] ("image/png", "image/svg+xml") and
 * sizes[i] bytes at data[i]. Everything is valid only during the call. */
typedef void (*msense_display_fn)(void *user, size_t count, const char *const *mime_types,
                                  const unsigned char *const *data, const size_t *sizes);

/* Run events from long builtins (gd, glrl, sweep, minimize): */
#define MSENSE_EVENT_STARTED 0  /* a run of `total` steps started */
#define MSENSE_EVENT_ROW 1      /* a trace row: `count` values named columns[i] */
#define MSENSE_EVENT_PROGRESS 2 /* `done` of `total` steps (at most about ten times a second) */
#define MSENSE_EVENT_FINISHED 3 /* the run ended after `done` of `total` steps; `count` is 1 when it
                                   returned its result (a stop rule ending it early included): one
                                   value, columns[0] "completed" = 1; 0 (no values) when it ended
                                   by an error, a limit or cancellation */

/* Bits of the mask of msense_set_events: bit 1 << code for each event code above. */
#define MSENSE_EVENTS_STARTED (1u << MSENSE_EVENT_STARTED)
#define MSENSE_EVENTS_ROW (1u << MSENSE_EVENT_ROW)
#define MSENSE_EVENTS_PROGRESS (1u << MSENSE_EVENT_PROGRESS)
#define MSENSE_EVENTS_FINISHED (1u << MSENSE_EVENT_FINISHED)
#define MSENSE_EVENTS_ALL (MSENSE_EVENTS_STARTED | MSENSE_EVENTS_ROW | MSENSE_EVENTS_PROGRESS | MSENSE_EVENTS_FINISHED)

/* Receives run events; `kind` is the builtin ("gd", "glrl", "sweep", "minimize"). `columns` and
 * `values` hold `count` items for every event. Unused arguments are 0 or NULL. Every pointer is
 * valid only during the call. */
typedef void (*msense_event_fn)(void *user, int event, const char *kind, long long done,
                                long long total, size_t count, const char *const *columns,
                                const double *values);

/* ---- Interpreters -------------------------------------------------------------------------- */

/* A new interpreter with every builtin. `arguments` (argument_count UTF-8 strings, copied) become
 * the script-visible list `args`. Any callback may be NULL: without `output` prints are dropped;
 * without `display` figures without a path are an error and show(...) returns false; without
 * `event` nothing is reported. `user` is passed back to every callback and native function
 * unchanged; it must stay valid until msense_free. Returns NULL on misuse. */
msense_interpreter *msense_new(const char *const *arguments, size_t argument_count,
                               msense_output_fn output, msense_display_fn display,
                               msense_event_fn event, void *user);

/* Frees an interpreter and everything it handed out except value handles (which stay valid on
 * their own). Must not be called while it runs. */
void msense_free(msense_interpreter *interpreter);

/* Which run events reach the `event` callback: a mask of MSENSE_EVENTS_* bits (default
 * MSENSE_EVENTS_ALL; 0 for none). A host that only shows progress asks for
 * MSENSE_EVENTS_STARTED | MSENSE_EVENTS_PROGRESS | MSENSE_EVENTS_FINISHED: runs then gather no
 * trace rows for it and make no call per recorded row. Affects the runs that start after the
 * call. MSENSE_OK or MSENSE_MISUSE (running, bits other than MSENSE_EVENTS_ALL's). */
int msense_set_events(msense_interpreter *interpreter, unsigned int mask);

/* Runs `length` bytes of UTF-8 source; `path` (may be NULL: "<script>") names it in diagnostics
 * and anchors relative imports. Globals persist across runs. When `result` is not NULL it
 * receives a new handle to the value of the last statement (nil when that is not an
 * expression), or NULL when the run fails. Returns MSENSE_OK, MSENSE_ERROR, MSENSE_CANCELLED or
 * MSENSE_MISUSE. Blocks until the run ends; callbacks run meanwhile on the run thread. */
int msense_run(msense_interpreter *interpreter, const char *source, size_t length,
               const char *path, msense_value **result);

/* Reads and runs the script file at `path` (UTF-8), like msense_run. */
int msense_run_file(msense_interpreter *interpreter, const char *path, msense_value **result);

/* Evaluates a snippet (as the REPL does) in the interpreter's globals, like msense_run with
 * path "<eval>". */
int msense_evaluate(msense_interpreter *interpreter, const char *source, size_t length,
                    msense_value **result);

/* Asks the run in progress to stop: it fails with MSENSE_CANCELLED at the next loop iteration,
 * call or optimizer step. Any thread, any time (a signal handler's thread included); a cancel
 * that arrives before a run starts is forgotten when it starts. MSENSE_OK or MSENSE_MISUSE. */
int msense_cancel(msense_interpreter *interpreter);

/* ---- Sandbox ------------------------------------------------------------------------------ */

/* Which files scripts may reach (load, save, mkdir, plots and figures with a path, import):
 * can_read and can_write (0 or 1) allow each; root, when not NULL, must name an existing
 * directory: relative paths are taken relative to it and every path must resolve inside it
 * (`..` and symbolic links followed), the rest is refused with an error at the statement.
 * Default: everything allowed, no root. Affects the runs that start after the call; the
 * host's own msense_run_file reads its file regardless. MSENSE_OK or MSENSE_MISUSE (running,
 * a flag other than 0/1, a root that is not a directory). docs/embedding.md, "Sandbox and
 * limits", states what is guaranteed. */
int msense_set_file_access(msense_interpreter *interpreter, int can_read, int can_write, const char *root);

#define MSENSE_UNLIMITED (-1LL) /* no limit, for msense_set_limits */

/* What each run may consume: `steps` evaluation steps (every loop iteration, call and
 * optimizer iteration one, native work one per 2^20 operations, every pass over the
 * measurements included) and `memory_bytes` of growth of the process; MSENSE_UNLIMITED for
 * none (the default). A run that goes over fails with MSENSE_ERROR and a diagnostic naming the
 * limit; the interpreter stays usable. MSENSE_OK or MSENSE_MISUSE (running, a value below -1). */
int msense_set_limits(msense_interpreter *interpreter, long long steps, long long memory_bytes);

/* ---- Diagnostics of the last run ------------------------------------------------------------ */

/* How many diagnostics the last run, run_file or evaluate produced (0 after a success). */
size_t msense_diagnostic_count(msense_interpreter *interpreter);

typedef enum {
    MSENSE_DIAGNOSTIC_SEVERITY = 0, /* "error", "warning" or "note" */
    MSENSE_DIAGNOSTIC_PATH = 1,     /* the file as given, or "<eval>" */
    MSENSE_DIAGNOSTIC_MESSAGE = 2,  /* one sentence, no trailing period */
    MSENSE_DIAGNOSTIC_HINT = 3,     /* how to fix it; NULL when there is no hint */
    MSENSE_DIAGNOSTIC_SOURCE_LINE = 4, /* the whole source line ("" when not tied to source) */
    MSENSE_DIAGNOSTIC_RENDERED = 5, /* file:line:col: error: …, the line, a caret, hint, traceback */
    MSENSE_DIAGNOSTIC_RENDERED_COLOR = 6 /* the same with ANSI colours (for terminals, notebooks) */
} msense_diagnostic_field;

/* A text field of diagnostic `index`. Valid until the next run on this interpreter. */
const char *msense_diagnostic_text(msense_interpreter *interpreter, size_t index,
                                   msense_diagnostic_field field);

/* 1-based line and column (Unicode scalars) of diagnostic `index`; 0 and 0 when it is not tied
 * to a place in the source. Either pointer may be NULL. MSENSE_OK or MSENSE_MISUSE. */
int msense_diagnostic_position(msense_interpreter *interpreter, size_t index, long *line,
                               long *column);

/* ---- Globals --------------------------------------------------------------------------------- */

/* A new handle to global `name`, or NULL when it is not defined (msense_misuse() is then NULL
 * or unchanged) or on misuse. */
msense_value *msense_get_global(msense_interpreter *interpreter, const char *name);

/* Defines or changes global variable `name` (an identifier, not a keyword) to `value`'s value.
 * The handle stays the caller's. Not while running. */
int msense_set_global(msense_interpreter *interpreter, const char *name, const msense_value *value);

/* Collects the names of the globals scripts have defined (variables and functions, not
 * builtins), sorted, and returns how many; msense_global_name(i) reads them. The names are valid
 * until the next msense_globals call on this interpreter. */
size_t msense_globals(msense_interpreter *interpreter);
const char *msense_global_name(msense_interpreter *interpreter, size_t index);

/* ---- Interactive front ends --------------------------------------------------------------- */

/* Collects the REPL's completions for `word`, the text being typed at the end of `line` (the
 * text before the cursor): keywords, builtins, defined names, fields after `x.`, `name:` for
 * the parameters of an open call. Returns how many; msense_completion(i) reads them, valid
 * until the next msense_complete on this interpreter. Not while running. */
size_t msense_complete(msense_interpreter *interpreter, const char *line, const char *word);
const char *msense_completion(msense_interpreter *interpreter, size_t index);

/* The REPL's `:help NAME` text for builtin `name` (usage, doc, parameters, example), or NULL
 * when there is no such builtin. Valid until the next msense_help on this interpreter. */
const char *msense_help(msense_interpreter *interpreter, const char *name);

/* 1 when `source` is an unfinished entry more lines could complete (an open bracket or block),
 * 0 otherwise, MSENSE_MISUSE on misuse. Not while running. */
int msense_is_incomplete(msense_interpreter *interpreter, const char *source);

/* ---- Reading values -------------------------------------------------------------------------- */

typedef enum {
    MSENSE_NIL = 0,
    MSENSE_BOOL = 1,
    MSENSE_NUMBER = 2,
    MSENSE_STRING = 3,
    MSENSE_LIST = 4,
    MSENSE_RECORD = 5,
    MSENSE_RANGE = 6,    /* integers lower..<upper: read with _length and _item */
    MSENSE_MATRIX = 7,
    MSENSE_FUNCTION = 8, /* a script function or builtin (not callable through this API) */
    MSENSE_TRACE = 9,    /* a trace (run.trace, table(...)): named columns of doubles */
    MSENSE_OBJECT = 10   /* another host object (a run, a problem, …): read fields by name */
} msense_type;

/* The value's type, or MSENSE_MISUSE. */
int msense_value_type(const msense_value *value);

/* The type name scripts see (`type(x)`): "number", "run", "trace", … Valid while the handle lives. */
const char *msense_value_type_name(const msense_value *value);

/* The text `print` shows for the value. Valid while the handle lives. */
const char *msense_value_display(const msense_value *value);

/* A bool as 0 or 1 / a number: MSENSE_OK, or MSENSE_MISUSE for another type. */
int msense_value_bool(const msense_value *value, int *out);
int msense_value_number(const msense_value *value, double *out);

/* A string's UTF-8 bytes (NUL-terminated; *length, when not NULL, gets the byte count, which
 * counts any NUL inside). NULL for another type. Valid while the handle lives. */
const char *msense_value_string(const msense_value *value, size_t *length);

/* Lists and ranges: the number of items; records and objects (traces included): the number
 * of fields; 0 otherwise. */
size_t msense_value_length(const msense_value *value);

/* A new handle to item `index` of a list or range, or NULL. */
msense_value *msense_value_item(const msense_value *value, size_t index);

/* The leading numbers of a list or range copied into `out` (at most `capacity`, which may be 0
 * with out NULL): returns how many were copied, so every item is a number when that equals
 * msense_value_length, and a host reads the rest with msense_value_item. 0 for another type. */
size_t msense_value_numbers(const msense_value *value, double *out, size_t capacity);

/* The name of field `index` of a record or object (in order), or NULL. Valid while the handle
 * lives. */
const char *msense_value_field_name(const msense_value *value, size_t index);

/* A new handle to field `name` of a record or object (`run.trace`, `run.loss`), or NULL. */
msense_value *msense_value_field(const msense_value *value, const char *name);

/* A matrix's elements, contiguous float64 in row-major order (element (i, j) at i*cols + j),
 * with *rows and *cols set (either may be NULL). NULL for another type. Valid while the handle
 * lives. */
const double *msense_value_matrix(const msense_value *value, size_t *rows, size_t *cols);

/* An array of 3 or more dimensions (an object of type "array": load("A.npy") of a stack, or
 * msense_new_array): its elements, contiguous float64 in row-major order, with *dimensions set
 * and its sizes written to shape[0 … *dimensions − 1] (room for 8; either may be NULL). NULL for
 * another value. Valid while the handle lives. */
const double *msense_value_array(const msense_value *value, size_t *dimensions, size_t *shape);

/* A trace's shape: *rows recorded rows and *columns named columns. MSENSE_OK, or MSENSE_MISUSE
 * for another type. */
int msense_value_trace(const msense_value *value, size_t *rows, size_t *columns);

/* The name of trace column `index`, and its `rows` values as contiguous float64; NULL for
 * another type or index. Valid while the handle lives. */
const char *msense_value_trace_column_name(const msense_value *value, size_t index);
const double *msense_value_trace_column(const msense_value *value, size_t index);

/* A new handle to the same value (to return an argument from a native function). */
msense_value *msense_value_copy(const msense_value *value);

/* Frees a value handle (NULL is ignored). The value lives on where the script still holds it. */
void msense_value_free(msense_value *value);

/* ---- Making values --------------------------------------------------------------------------- */

/* New values; NULL on misuse. Strings are `length` bytes of UTF-8 (copied); lists and records
 * copy the values of the given handles (which stay the caller's); record names are identifiers,
 * not repeated; a matrix copies rows*cols float64 in row-major order. */
msense_value *msense_new_nil(void);
msense_value *msense_new_bool(int flag);
msense_value *msense_new_number(double number);
msense_value *msense_new_string(const char *text, size_t length);
msense_value *msense_new_list(const msense_value *const *items, size_t count);
/* A list of `count` numbers (copied): a host's vector without a handle per item. */
msense_value *msense_new_number_list(const double *numbers, size_t count);
msense_value *msense_new_record(const char *const *names, const msense_value *const *values,
                                size_t count);
msense_value *msense_new_matrix(const double *data, size_t rows, size_t cols);
/* An array of `dimensions` (3 to 8) sizes shape[i], copying their product of float64 in row-major
 * order: what given_stack and explicit take as an (m, d1, d2) stack. */
msense_value *msense_new_array(const double *data, const size_t *shape, size_t dimensions);

/* ---- Native functions ------------------------------------------------------------------------ */

/* A host function callable from scripts. It runs on the run thread, one call at a time, once per
 * call the script makes: an interpreter with a native function runs its sweeps' points on the
 * run thread whatever their `jobs` (parallel sweep workers would call it from their own threads
 * and replay the calls before the sweep). Read its arguments with
 * msense_call_count / msense_call_arg. Return a new value handle (msense takes ownership and
 * frees it; returning one of the call's argument handles works too) or NULL for nil. A
 * returned pointer that is no live value handle makes the call fail, it is never dereferenced. To fail, call msense_call_fail and return NULL: the script stops
 * with that message at the call site (as any builtin's error). */
typedef msense_value *(*msense_native_fn)(void *user, msense_call *call);

/* Registers (or replaces) builtin `name` with `parameter_count` parameter names; the first
 * `required` are required, the others default to nil. Scripts call it positionally or by name
 * (`f(1, scale: 2)`); argument-count mismatches are reported before the call. `doc` (may be
 * NULL) is its :help text. `user` is passed to `fn`; it must stay valid until msense_free.
 * Not while running. MSENSE_OK or MSENSE_MISUSE. */
int msense_register(msense_interpreter *interpreter, const char *name, const char *doc,
                    const char *const *parameters, size_t parameter_count, size_t required,
                    msense_native_fn fn, void *user);

/* The number of arguments (one per declared parameter, defaults filled in). */
size_t msense_call_count(const msense_call *call);

/* Argument `index`, borrowed: valid until the native function returns; do not free it. */
const msense_value *msense_call_arg(const msense_call *call, size_t index);

/* Makes the call fail with `message` and an optional `hint` (NULL for none), both copied.
 * MSENSE_OK or MSENSE_MISUSE. */
int msense_call_fail(msense_call *call, const char *message, const char *hint);

#ifdef __cplusplus
}
#endif

#endif /* MSENSE_H */
