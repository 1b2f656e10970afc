// System-library shim: GNU readline and history (Debian: libreadline-dev).
// readline.h uses FILE without including stdio.h itself.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 refuses direct use of C mutable globals; these accessors are the only way
// the REPL touches readline's global settings.

/// Turns off readline's own signal handlers and installs the completion hook.
static inline void msense_rl_configure(rl_completion_func_t *completion, const char *word_breaks) {
    rl_catch_signals = 0;
    rl_catch_sigwinch = 1;
    rl_attempted_completion_function = completion;
    rl_basic_word_break_characters = word_breaks;
}

/// Stops readline from falling back to file-name completion.
static inline void msense_rl_completion_over(void) { rl_attempted_completion_over = 1; }

/// What readline adds after a unique completion (' ' by default, reset before every attempt;
/// 0 adds nothing).
static inline void msense_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }

/// The whole line being edited.
static inline const char *msense_rl_line_buffer(void) { return rl_line_buffer; }
