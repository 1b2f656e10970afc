// System-library shim: zlib, for deflate streams inside .npz archives (Debian: zlib1g-dev).
#include <zlib.h>
