// System-library shim: OpenBLAS's CBLAS interface and LAPACKE (Debian: libopenblas-dev, liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>
