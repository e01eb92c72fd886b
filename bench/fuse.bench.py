"""Baseline of bench/fuse.bench.ts: the usual way, load every member whole and sum them.
Reads each model.safetensors with a minimal header parser into torch tensors (numpy when torch is
missing), sums w_k * member_k in float32, and prints one JSON line: seconds, peak RSS (bytes,
getrusage), the library and its thread counts.
Usage: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/fuse.bench.py MEMBER_DIR...
"""
import json
import os
import resource
import struct
import sys
import time
import warnings

import numpy as np

# Members are read-only views of the file bytes, as a memory-mapped load would give.
warnings.filterwarnings('ignore', message='The given NumPy array is not writable')

try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None


def load(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    header.pop('__metadata__', None)
    out = {}
    for name, e in header.items():
        begin, end = e['data_offsets']
        assert e['dtype'] == 'F16'
        arr = np.frombuffer(data, dtype=np.float16, count=(end - begin) // 2, offset=8 + n + begin)
        out[name] = torch.from_numpy(arr.reshape(e['shape'])) if torch else arr.reshape(e['shape'])
    return out


def main():
    dirs = sys.argv[1:]
    start = time.perf_counter()
    members = [load(os.path.join(d, 'model.safetensors')) for d in dirs]
    w = 1.0 / len(members)
    fused = {}
    for name in members[0]:
        acc = None
        for m in members:
            x = m[name].float() if torch else m[name].astype(np.float32)
            acc = x * w if acc is None else acc + x * w
        fused[name] = acc.half() if torch else acc.astype(np.float16)
    seconds = time.perf_counter() - start
    print(json.dumps({
        'library': f'torch {torch.__version__}' if torch else f'numpy {np.__version__} (torch missing)',
        'torch_threads': torch.get_num_threads() if torch else None,
        'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS'),
        'OPENBLAS_NUM_THREADS': os.environ.get('OPENBLAS_NUM_THREADS'),
        'seconds': seconds,
        'maxRss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == '__main__':
    main()
