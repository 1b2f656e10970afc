"""msense values as Python values, and back.

    nil → None        bool → bool       string → str        number → int when integral (|x| < 2⁵³, not −0), else float
    list → list       record → dict     range → range       matrix → numpy.ndarray (rows, cols)
    trace → Trace (dict of NumPy columns)                     function → Function
    other host objects (a run, a problem, …) → Object, whose fields are read on access
"""
import ctypes
import math
import numbers

import numpy as np

from . import _library as C
from ._library import lib


class Trace(dict):
    """A trace: column name → 1-D float64 NumPy array, in the trace's column order.

    `trace.rows` counts rows; `trace.to_pandas()` gives a pandas DataFrame when pandas is installed.
    """

    @property
    def rows(self) -> int:
        return len(next(iter(self.values()))) if self else 0

    def to_pandas(self):
        """The trace as a pandas DataFrame (one column per trace column)."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("Trace.to_pandas() needs pandas: pip install pandas") from error
        return pandas.DataFrame({name: column for name, column in self.items()})

    def _repr_html_(self):
        from .html import trace_html
        return trace_html(self)

    def __repr__(self):
        return f"Trace({self.rows} rows: {', '.join(self)})"


class Function:
    """A script function or builtin, seen from Python (msense functions are not callable from here)."""

    def __init__(self, description: str):
        self.description = description

    def __repr__(self):
        return self.description


class Object:
    """A host object of msense (a run, a problem, a truth, …). `obj.name` or `obj["name"]` reads
    a field as a Python value; `obj.fields` lists them; `obj.type` is msense's type name."""

    def __init__(self, handle: int):
        self._handle = handle
        self.type = lib.msense_value_type_name(handle).decode()
        self.fields = [lib.msense_value_field_name(handle, i).decode() for i in range(lib.msense_value_length(handle))]
        self.description = lib.msense_value_display(handle).decode()

    def __getitem__(self, name: str):
        field = lib.msense_value_field(self._handle, name.encode())
        if not field:
            raise KeyError(f"the {self.type} has no field '{name}' (fields: {', '.join(self.fields)})")
        return take(field)

    def __getattr__(self, name: str):
        fields = self.__dict__.get("fields")  # absent on an instance that __init__ did not make
        if fields is None or name.startswith("_") or name not in fields:
            raise AttributeError(f"the {self.__dict__.get('type', 'object')} has no field '{name}'"
                                 f" (fields: {', '.join(fields or [])})")
        return self[name]

    def to_pandas(self):
        """A table (a sweep's result, whose text columns keep it from being a Trace) as a pandas
        DataFrame, one column per table column; TypeError for other objects."""
        if self.type != "table":
            raise TypeError(f"to_pandas() takes a table, not a {self.type}")
        try:
            import pandas
        except ImportError as error:
            raise ImportError("Object.to_pandas() needs pandas: pip install pandas") from error
        return pandas.DataFrame({name: self[name] for name in self["columns"]})

    def __copy__(self):
        return Object(self._copy_handle())

    def __deepcopy__(self, memo):
        return self.__copy__()

    def __reduce__(self):
        raise TypeError(f"an msense {self.type} lives in the library and cannot be pickled; "
                        "pickle the Python values read from it (e.g. run.trace, run.loss)")

    def __dir__(self):
        return list(super().__dir__()) + self.fields

    def _repr_html_(self):
        from .html import object_html
        return object_html(self)

    def __repr__(self):
        return self.description

    def __del__(self):
        if getattr(self, "_handle", None):
            lib.msense_value_free(self._handle)
            self._handle = None

    def _copy_handle(self) -> int:
        return lib.msense_value_copy(self._handle)


def take(handle: int):
    """The Python value of `handle`, which is then freed (unless an Object keeps it)."""
    kind = lib.msense_value_type(handle)
    if kind == C.OBJECT and not _is_array(handle):
        return Object(handle)
    try:
        return convert(handle, kind)
    finally:
        lib.msense_value_free(handle)


def read(handle: int):
    """The Python value of a borrowed `handle` (not freed)."""
    kind = lib.msense_value_type(handle)
    if kind == C.OBJECT and not _is_array(handle):
        return Object(lib.msense_value_copy(handle))
    return convert(handle, kind)


def _is_array(handle: int) -> bool:
    """Whether `handle` holds an array of 3 or more dimensions, which reads as a NumPy array."""
    return lib.msense_value_type_name(handle) == b"array"


def convert(handle: int, kind: int):
    if kind == C.NIL:
        return None
    if kind == C.BOOL:
        flag = ctypes.c_int()
        lib.msense_value_bool(handle, ctypes.byref(flag))
        return bool(flag.value)
    if kind == C.NUMBER:
        number = ctypes.c_double()
        lib.msense_value_number(handle, ctypes.byref(number))
        x = number.value
        negative_zero = x == 0 and math.copysign(1.0, x) < 0
        return int(x) if x.is_integer() and abs(x) < 2**53 and not negative_zero else x
    if kind == C.STRING:
        length = ctypes.c_size_t()
        pointer = lib.msense_value_string(handle, ctypes.byref(length))
        return ctypes.string_at(pointer, length.value).decode("utf-8")
    if kind == C.LIST:
        count = lib.msense_value_length(handle)
        buffer = np.empty(count)
        leading = lib.msense_value_numbers(handle, buffer.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), count)
        return _numbers(buffer[:leading]) + [take(lib.msense_value_item(handle, i)) for i in range(leading, count)]
    if kind == C.RANGE:
        count = lib.msense_value_length(handle)
        if count == 0:
            return range(0)
        first = take(lib.msense_value_item(handle, 0))
        return range(int(first), int(first) + count)
    if kind == C.RECORD:
        names = [lib.msense_value_field_name(handle, i).decode() for i in range(lib.msense_value_length(handle))]
        return {name: take(lib.msense_value_field(handle, name.encode())) for name in names}
    if kind == C.MATRIX:
        rows, cols = ctypes.c_size_t(), ctypes.c_size_t()
        pointer = lib.msense_value_matrix(handle, ctypes.byref(rows), ctypes.byref(cols))
        count = rows.value * cols.value
        flat = np.ctypeslib.as_array(pointer, shape=(count,)).copy() if count else np.zeros(0)
        return flat.reshape(rows.value, cols.value)
    if kind == C.TRACE:
        rows, columns = ctypes.c_size_t(), ctypes.c_size_t()
        lib.msense_value_trace(handle, ctypes.byref(rows), ctypes.byref(columns))
        trace = Trace()
        for j in range(columns.value):
            name = lib.msense_value_trace_column_name(handle, j).decode()
            pointer = lib.msense_value_trace_column(handle, j)
            trace[name] = np.ctypeslib.as_array(pointer, shape=(rows.value,)).copy() if rows.value else np.zeros(0)
        return trace
    if kind == C.FUNCTION:
        return Function(lib.msense_value_display(handle).decode())
    if kind == C.OBJECT and _is_array(handle):
        dimensions, shape = ctypes.c_size_t(), (ctypes.c_size_t * 8)()
        pointer = lib.msense_value_array(handle, ctypes.byref(dimensions), shape)
        sizes = tuple(shape[i] for i in range(dimensions.value))
        count = int(np.prod(sizes))
        flat = np.ctypeslib.as_array(pointer, shape=(count,)).copy() if count else np.zeros(0)
        return flat.reshape(sizes)
    raise ValueError(f"msense: cannot read a value of kind {kind}: {C.misuse()}")


def _numbers(array: np.ndarray) -> list:
    """Numbers read in bulk as Python reads one: an int when it is whole, below 2⁵³ and not -0.0."""
    whole = np.isfinite(array) & (np.trunc(array) == array) & (np.abs(array) < 2.0**53) & ~((array == 0) & np.signbit(array))
    if whole.all():
        return array.astype(np.int64).tolist()
    values = array.tolist()
    for i in np.flatnonzero(whole).tolist():
        values[i] = int(values[i])
    return values


def make(value) -> int:
    """A new handle holding the msense form of a Python value (the caller frees it)."""
    handle = _make(value)
    if not handle:
        raise ValueError(f"msense cannot take {value!r}: {C.misuse()}")
    return handle


def _make(value) -> int:
    if value is None:
        return lib.msense_new_nil()
    if isinstance(value, (bool, np.bool_)):
        return lib.msense_new_bool(1 if value else 0)
    if isinstance(value, numbers.Integral) and not isinstance(value, np.ndarray):
        return lib.msense_new_number(_exact_float(int(value)))
    if isinstance(value, numbers.Real) and not isinstance(value, np.ndarray):
        return lib.msense_new_number(float(value))
    if isinstance(value, str):
        data = value.encode("utf-8")
        return lib.msense_new_string(data, len(data))
    if isinstance(value, Object):
        return value._copy_handle()
    if isinstance(value, np.ndarray):
        if np.ma.is_masked(value):
            raise TypeError("msense has no masked arrays, and would read the entries under the mask: "
                            "pass a.filled(np.nan), or the observed entries (given_entries)")
        value = _real_array(value)
        if value.ndim == 0:
            return lib.msense_new_number(float(value))
        if value.ndim == 2:
            data = np.ascontiguousarray(value)
            return lib.msense_new_matrix(data.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), data.shape[0], data.shape[1])
        if value.ndim == 1:
            return _make_number_list(np.ascontiguousarray(value))
        if value.ndim > 8:
            raise ValueError(f"msense arrays have at most 8 dimensions; got an array of shape {value.shape}")
        data = np.ascontiguousarray(value)
        shape = (C.size * value.ndim)(*value.shape)
        return lib.msense_new_array(data.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), shape, value.ndim)
    if isinstance(value, dict):
        names = list(value)
        if not all(isinstance(name, str) for name in names):
            raise ValueError("msense records have string keys")
        handles = [make(item) for item in value.values()]
        try:
            array = (C.handle * len(handles))(*handles)
            keys = (C.text * len(names))(*[name.encode("utf-8") for name in names])
            return lib.msense_new_record(keys, array, len(handles))
        finally:
            for item in handles:
                lib.msense_value_free(item)
    if isinstance(value, (list, tuple, range)):
        items = list(value)
        if all(type(x) is float or (type(x) is int and abs(x) <= 2**53) for x in items):
            return _make_number_list(np.array(items, dtype=np.float64))
        return _make_list(items)
    if hasattr(value, "__array__"):
        return _make(_from_array_like(value))
    raise TypeError(f"msense has no value for a Python {type(value).__name__}")


def _from_array_like(value) -> np.ndarray:
    """The NumPy array of an array-like (a pandas Series or DataFrame, a CPU tensor: anything with
    `__array__`), its values only (a pandas index and column names are not kept). One NumPy
    cannot convert, or one whose values are not real numbers, is a TypeError naming its type."""
    kind = type(value).__name__
    try:
        array = np.asarray(value)
    except Exception as error:
        raise TypeError(f"msense cannot read a {kind} as an array: {error}") from None
    try:
        return _real_array(array)
    except TypeError:
        raise TypeError(f"msense takes a {kind} whose values are real numbers; this one converts to NumPy "
                        f"dtype {array.dtype} (missing values? pass .to_numpy(dtype=float, na_value=np.nan))") from None


def _exact_float(integer: int, advice: str = "pass float(x) to accept the nearest double") -> float:
    """`integer` as a double, which msense numbers are; a ValueError when it has no exact double
    (beyond 2⁵³ most integers do not), rather than a silently different number."""
    text = str(integer) if abs(integer) < 10**30 else f"an integer of {integer.bit_length()} bits"
    try:
        number = float(integer)
    except OverflowError:
        raise ValueError(f"msense numbers are doubles, and {text} is beyond the largest one (about 1.8e308)") from None
    if int(number) != integer:
        raise ValueError(f"msense numbers are doubles, and {text} is not one exactly; {advice}")
    return number


def _real_array(array: np.ndarray) -> np.ndarray:
    """`array` as float64. Arrays of bools, integers, floats, or Python objects that are all real
    numbers qualify; any other (complex, strings, dates, …) is a TypeError, rather than losing
    imaginary parts with a warning or reading text as numbers."""
    real = array.dtype.kind in "biuf" or (
        array.dtype.kind == "O" and all(isinstance(x, numbers.Real) and not isinstance(x, complex) for x in array.flat))
    if not real:
        raise TypeError(f"msense has no value for a NumPy array of dtype {array.dtype}: "
                        "matrices and lists hold real numbers")
    if array.dtype.kind == "O":  # before the cast, which would overflow on a huge int
        for x in array.flat:
            if isinstance(x, numbers.Integral):
                _exact_float(int(x), "pass a.astype(float) to accept the nearest doubles")
    converted = array.astype(np.float64, copy=False)
    if array.dtype.kind in "iu" and array.dtype.itemsize > 4:
        _require_exact(array, converted)
    return converted


def _require_exact(integers: np.ndarray, doubles: np.ndarray) -> None:
    """A ValueError when an integer array holds a value without an exact double (beyond 2⁵³ most
    have none), as for a single integer, rather than silently different numbers."""
    big = np.abs(doubles) >= 2.0**53
    if not big.any():
        return
    # A double from 2⁶³ up has no int64 to compare with: there (uint64 only) a value is a double
    # exactly when its 11 low bits are 0, as a double's 53 bits then hold it.
    castable = doubles < 2.0**63
    back = np.where(castable, doubles, 0.0).astype(integers.dtype)
    inexact = big & np.where(castable, integers != back, (integers & 2047) != 0)
    if inexact.any():
        index = tuple(int(i) for i in np.argwhere(inexact)[0])
        _exact_float(int(integers[index]), "pass a.astype(float) to accept the nearest doubles")


def _make_number_list(numbers: np.ndarray) -> int:
    """A list of float64 `numbers` (contiguous) in one call, without a handle per item."""
    return lib.msense_new_number_list(numbers.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), len(numbers))


def _make_list(items) -> int:
    handles = [make(item) for item in items]
    try:
        array = (C.handle * len(handles))(*handles)
        return lib.msense_new_list(array, len(handles))
    finally:
        for item in handles:
            lib.msense_value_free(item)

