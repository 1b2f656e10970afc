// System-library shim: cairo, the 2-D renderer used for PNG plots (Debian: libcairo2-dev).
#include <cairo.h>
