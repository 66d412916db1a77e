"""The PyTorch peer's numeric set-up, for bench/engine-vs-pytorch.ts (bench/fairPeer.ts).

Run in the environment the peer is about to train in, it prints one JSON object:
  corename, blasConfig   OpenBLAS's kernel and build (openblas_get_corename / _get_config, ctypes)
  onednnIsa              the instruction set oneDNN dispatches convolutions to (its verbose info line)
  atenCapability         the vector ISA of ATen's own kernels (elementwise, reductions)
  threads                torch's intra- and inter-op threads, OpenBLAS's threads, the variables that set them
  check                  float32 products (GEMM, transposed, odd sizes, batched, linear) against a float64
                         reference computed without BLAS: the largest error relative to sum |a|·|b|
  gemm                   the bench GEMM's GFLOP/s (median over ~`seconds`)

argv[1]: {"threads": n, "gemm": [M, K, N], "seconds": s}. A wrong kernel shows up as a large check error
(or this process dying), and the bench then keeps the environment's own settings.
"""
import ctypes
import json
import os
import re
import statistics
import sys
import tempfile
import time

# oneDNN reports its ISA once, on its first primitive, when verbose; this process creates one
# convolution for that. Verbose output goes to fd 1, so fd 1 points at a file until the end.
os.environ["DNNL_VERBOSE"] = "1"
os.environ["ONEDNN_VERBOSE"] = "1"
result_fd = os.dup(1)
verbose_log = tempfile.TemporaryFile(mode="w+")
os.dup2(verbose_log.fileno(), 1)

import torch  # noqa: E402  (after the redirection: oneDNN may print while loading)

TOLERANCE = 1e-4  # relative to sum |a|·|b|; float32 rounding over K = 512 terms stays near 1e-7


def openblas():
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "openblas" in os.path.basename(path) or "libblas" in os.path.basename(path):
                lib = ctypes.CDLL(path)
                if hasattr(lib, "openblas_get_corename"):
                    return lib
    return None


def blas_report():
    lib = openblas()
    if lib is None:
        return {"corename": "(not OpenBLAS)", "blasConfig": "", "blasThreads": None}
    lib.openblas_get_corename.restype = ctypes.c_char_p
    lib.openblas_get_config.restype = ctypes.c_char_p
    return {
        "corename": lib.openblas_get_corename().decode(),
        "blasConfig": lib.openblas_get_config().decode(),
        "blasThreads": lib.openblas_get_num_threads(),
    }


def onednn_isa():
    with torch.no_grad():
        torch.nn.functional.conv2d(torch.randn(16, 4, 8, 8), torch.randn(8, 4, 3, 3))
    sys.stdout.flush()
    verbose_log.flush()
    verbose_log.seek(0)
    for line in verbose_log:
        match = re.search(r"verbose,info,cpu,isa:(.*)", line)
        if match:
            return match.group(1).strip()
    return "(oneDNN not used for convolutions)"


def aten_capability():
    match = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
    return match.group(1) if match else "(unknown)"


def reference_rows(a, b, rows):
    """float64 a[rows] @ b and sum |a|·|b| by broadcasting and summing: no BLAS involved."""
    a64, b64 = a[rows].double(), b.double()
    exact = (a64.unsqueeze(2) * b64.unsqueeze(0)).sum(1)
    scale = (a64.abs().unsqueeze(2) * b64.abs().unsqueeze(0)).sum(1)
    return exact, scale


def relative_error(a, b, product):
    rows = torch.linspace(0, a.shape[0] - 1, min(a.shape[0], 24)).long()
    exact, scale = reference_rows(a, b, rows)
    got = product[rows].double()
    if not torch.isfinite(got).all():
        return float("inf")
    return float(((got - exact).abs() / scale.clamp_min(1e-30)).max())


def check(gemm):
    """The largest relative error of each float32 product form the models use."""
    g = torch.Generator().manual_seed(7)
    rand = lambda *shape: torch.randn(*shape, generator=g)  # noqa: E731
    m, k, n = gemm
    a, b = rand(m, k), rand(k, n)
    errors = {f"gemm {m}x{k}x{n}": relative_error(a, b, a @ b)}
    a, b = rand(67, 129), rand(129, 33)
    errors["odd 67x129x33"] = relative_error(a, b, a @ b)
    a, b = rand(512, 256), rand(512, 128)
    errors["transposed 256x512x128"] = relative_error(a.t().contiguous(), b, a.t() @ b)
    x, w, bias = rand(256, 300), rand(200, 300), rand(200)
    errors["linear 256x300x200"] = relative_error(x, w.t().contiguous(), torch.nn.functional.linear(x, w, bias) - bias)
    p, q = rand(8, 64, 32), rand(8, 32, 64)
    batched = torch.bmm(p, q)
    errors["batched 8x64x32x64"] = max(relative_error(p[i], q[i], batched[i]) for i in range(8))
    return {"errors": errors, "tolerance": TOLERANCE, "ok": all(e <= TOLERANCE for e in errors.values())}


def gemm_gflops(gemm, seconds):
    m, k, n = gemm
    a, b, c = torch.randn(m, k), torch.randn(k, n), torch.empty(m, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        start = time.perf_counter()
        torch.mm(a, b, out=c)
        times.append(time.perf_counter() - start)
    return 2 * m * k * n / statistics.median(times) / 1e9


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    report = {
        "torch": torch.__version__,
        **blas_report(),
        "onednnIsa": onednn_isa(),
        "atenCapability": aten_capability(),
        "threads": {
            "intraOp": torch.get_num_threads(),
            "interOp": torch.get_num_interop_threads(),
            "env": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS")},
        },
        "check": check(cfg["gemm"]),
    }
    report["gemmGflops"] = gemm_gflops(cfg["gemm"], cfg["seconds"])
    os.write(result_fd, (json.dumps(report) + "\n").encode())


main()
