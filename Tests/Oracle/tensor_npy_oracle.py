#!/usr/bin/env python3
"""NumPy oracle for msense's .npy/.npz reader and writer (Tests/TensorTests/NPYOracleTests.swift).

    tensor_npy_oracle.py write DIR   NumPy writes .npy/.npz files in every variant msense reads,
                                     plus DIR/manifest.json listing each array's shape, dtype and
                                     values (C order, as repr strings: exact for float64).
    tensor_npy_oracle.py check DIR   NumPy reads the files msense wrote into DIR, as listed in
                                     DIR/manifest.json, and checks dtype, shape and bytes exactly.

Exit status: 0 all good, 1 a mismatch (printed), 3 NumPy missing, 2 bad usage.
"""
import io
import json
import os
import sys
import zipfile

try:
    import numpy as np
except ImportError:
    print("numpy is not installed for this python3 (run `make deps`)", file=sys.stderr)
    sys.exit(3)


def read_header(f):
    """(version, fortran_order, data offset) of the open .npy file `f`, left at its data."""
    version = np.lib.format.read_magic(f)
    reader = np.lib.format.read_array_header_1_0 if version[0] == 1 else np.lib.format.read_array_header_2_0
    _, fortran, _ = reader(f)
    return version, fortran, f.tell()


def describe(arr):
    """The manifest record of an array: shape, dtype string and values in C order."""
    flat = np.asarray(arr).astype(np.float64).ravel(order="C")
    return {"shape": list(arr.shape), "descr": arr.dtype.str, "values": [repr(float(v)) for v in flat]}


def sample_arrays():
    rng = np.random.default_rng(20231)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1.7976931348623157e308, 0.1])
    return {
        "d0": np.array(rng.standard_normal()),
        "d1": rng.standard_normal(5) * 1e3,
        "d2": rng.standard_normal((3, 4)),
        "d3": rng.standard_normal((2, 3, 4)) * 1e-5,
        "empty1": np.zeros((0,)),
        "empty2": np.zeros((2, 0)),
        "specials": specials,
    }


def write_variants(out):
    manifest = []
    arrays = sample_arrays()
    for name, base in arrays.items():
        for descr in ["<f8", ">f8", "<f4", ">f4"]:
            with np.errstate(over="ignore"):  # 1.8e308 becomes inf in float32, as intended
                arr = base.astype(descr)
            for version in [(1, 0), (2, 0), (3, 0)]:
                orders = ["C", "F"] if arr.ndim >= 2 else ["C"]
                for order in orders:
                    a = arr.copy(order=order)
                    endian = "le" if descr[0] == "<" else "be"
                    fname = f"{name}_{endian}{descr[1:]}_v{version[0]}_{order}.npy"
                    with open(os.path.join(out, fname), "wb") as f:
                        np.lib.format.write_array(f, a, version=version)
                    with open(os.path.join(out, fname), "rb") as f:
                        written_version, fortran, _ = read_header(f)
                    assert written_version == version
                    assert fortran == (order == "F" and a.ndim >= 2 and not a.flags.c_contiguous)
                    manifest.append({"file": fname, **describe(a)})
    ints = {"i8": np.array([[-3, 2**53], [7, -(2**40)]], dtype="<i8"), "i4": np.array([-2**31, 5, 2**31 - 1], dtype=">i4")}
    for key, arr in ints.items():
        fname = f"int_{key}.npy"
        np.save(os.path.join(out, fname), arr)
        manifest.append({"file": fname, **describe(arr)})

    npz_arrays = {"u": arrays["d2"], "y": arrays["d1"].astype("<f4"), "s": arrays["d0"], "w": np.asfortranarray(arrays["d3"])}
    np.savez(os.path.join(out, "stored.npz"), **npz_arrays)
    np.savez_compressed(os.path.join(out, "deflated.npz"), **npz_arrays)
    # A zip written to a stream that cannot seek: entries carry data descriptors (flag bit 3).
    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buffer = bytearray()
        def writable(self):
            return True
        def write(self, b):
            self.buffer += b
            return len(b)
    for method, fname in [(zipfile.ZIP_DEFLATED, "descriptors_deflated.npz"), (zipfile.ZIP_STORED, "descriptors_stored.npz")]:
        sink = Unseekable()
        with zipfile.ZipFile(sink, "w", compression=method) as zf:
            for key, arr in npz_arrays.items():
                with zf.open(key + ".npy", "w") as member:
                    np.lib.format.write_array(member, arr)
        with open(os.path.join(out, fname), "wb") as f:
            f.write(bytes(sink.buffer))
        with zipfile.ZipFile(os.path.join(out, fname)) as zf:
            assert all(info.flag_bits & 0x08 for info in zf.infolist()), "expected data descriptors"
    for fname in ["stored.npz", "deflated.npz", "descriptors_deflated.npz", "descriptors_stored.npz"]:
        manifest.append({"file": fname, "arrays": {k: describe(v) for k, v in npz_arrays.items()}})

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    print(f"wrote {len(manifest)} files")


def expected_array(record):
    values = np.array([float(v) for v in record["values"]], dtype=np.float64)
    return values.astype(record["descr"]).reshape(record["shape"])


def same(got, record, where):
    problems = []
    want = expected_array(record)
    if got.dtype.str != record["descr"]:
        problems.append(f"{where}: dtype {got.dtype.str}, expected {record['descr']}")
    if list(got.shape) != record["shape"]:
        problems.append(f"{where}: shape {got.shape}, expected {tuple(record['shape'])}")
    elif got.tobytes(order="C") != want.tobytes(order="C"):
        problems.append(f"{where}: values differ bitwise: got {got.ravel()[:6]}, expected {want.ravel()[:6]}")
    return problems


def check_files(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    problems = []
    for entry in manifest:
        path = os.path.join(folder, entry["file"])
        if entry["file"].endswith(".npy"):
            with open(path, "rb") as f:
                _, fortran, offset = read_header(f)
                if offset % 64 != 0:
                    problems.append(f"{entry['file']}: data starts at byte {offset}, not a multiple of 64")
                if fortran:
                    problems.append(f"{entry['file']}: written in Fortran order")
            problems += same(np.load(path, allow_pickle=False), entry, entry["file"])
        else:
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
                if bad is not None:
                    problems.append(f"{entry['file']}: member {bad} fails its CRC check")
                methods = {info.compress_type for info in zf.infolist()}
                if methods != {entry["method"]}:
                    problems.append(f"{entry['file']}: compression methods {methods}, expected {entry['method']}")
            with np.load(path, allow_pickle=False) as z:
                if sorted(z.files) != sorted(entry["arrays"]):
                    problems.append(f"{entry['file']}: keys {sorted(z.files)}, expected {sorted(entry['arrays'])}")
                for key, record in entry["arrays"].items():
                    if key in z.files:
                        problems += same(z[key], record, f"{entry['file']}[{key}]")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"checked {len(manifest)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "write":
        write_variants(sys.argv[2])
        sys.exit(0)
    sys.exit(check_files(sys.argv[2]))
