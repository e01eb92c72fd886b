"""PyTorch baseline of bench/train.bench.ts: the same BERT classifier (HF layout, exact GELU,
post-LayerNorm, dropout 0.1), AdamW, one thread. Prints one JSON line of throughputs and of the
thread counts it ran with.
Usage: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 bench/train.bench.py V H L A I B T STEPS
Debian's torch links OpenBLAS, whose own thread pool ignores torch.set_num_threads: without the
environment variables a "one-thread" run spins a second thread, so the caller sets them.
"""
import json, math, os, sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
torch.manual_seed(0)
V, H, L, A, I, B, T, STEPS = map(int, sys.argv[1:9])
D = H // A


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (torch.nn.Linear(H, H) for _ in range(4))
        self.ln1, self.ln2 = torch.nn.LayerNorm(H, eps=1e-12), torch.nn.LayerNorm(H, eps=1e-12)
        self.f1, self.f2 = torch.nn.Linear(H, I), torch.nn.Linear(I, H)
        self.drop = torch.nn.Dropout(0.1)

    def forward(self, x, bias):
        b, t, _ = x.shape
        heads = lambda y: y.view(b, t, A, D).transpose(1, 2)
        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        p = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + bias, -1))
        c = (p @ v).transpose(1, 2).reshape(b, t, H)
        x = self.ln1(x + self.drop(self.o(c)))
        return self.ln2(x + self.drop(self.f2(F.gelu(self.f1(x)))))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.word, self.pos, self.token_type = torch.nn.Embedding(V, H), torch.nn.Embedding(512, H), torch.nn.Embedding(2, H)
        self.ln = torch.nn.LayerNorm(H, eps=1e-12)
        self.layers = torch.nn.ModuleList(Layer() for _ in range(L))
        self.pool, self.cls = torch.nn.Linear(H, H), torch.nn.Linear(H, 2)
        self.drop = torch.nn.Dropout(0.1)

    def forward(self, ids, types, mask):
        x = self.drop(self.ln(self.word(ids) + self.pos.weight[: ids.shape[1]] + self.token_type(types)))
        bias = (1 - mask[:, None, None, :].float()) * -1e9
        for layer in self.layers:
            x = layer(x, bias)
        return self.cls(self.drop(torch.tanh(self.pool(x[:, 0]))))


model = Model()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
ids = torch.randint(5, V, (B, T))
types = torch.zeros(B, T, dtype=torch.long)
mask = torch.ones(B, T)
labels = torch.randint(0, 2, (B,))


def train_step():
    opt.zero_grad()
    F.cross_entropy(model(ids, types, mask), labels).backward()
    opt.step()


def measure(fn, n):
    fn()
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    return (time.perf_counter() - w0) / n, (time.process_time() - c0) / n


model.train()
train_wall, train_cpu = measure(train_step, STEPS)
model.eval()
with torch.no_grad():
    eval_wall, eval_cpu = measure(lambda: model(ids, types, mask), STEPS)
print(json.dumps({
    'torch': torch.__version__,
    'threads': {'torch.get_num_threads': torch.get_num_threads(),
                'torch.get_num_interop_threads': torch.get_num_interop_threads(),
                **{v: os.environ.get(v) for v in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS')}},
    'osThreads': len(os.listdir('/proc/self/task')),
    'trainCpuPerWall': train_cpu / train_wall, 'evalCpuPerWall': eval_cpu / eval_wall,
    'trainTokensPerSecWall': B * T / train_wall, 'trainTokensPerSecCpu': B * T / train_cpu,
    'evalSentencesPerSecWall': B / eval_wall, 'evalSentencesPerSecCpu': B / eval_cpu,
}))
