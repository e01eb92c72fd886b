"""The bomf-tiny architecture in PyTorch (BERT post-LayerNorm, exact GELU, fused QKV), shared by
ablation.py (pre-training replays) and finetune.py (fine-tuning recipes), with BERT's
initialisation, the AdamW groups and the linear schedule the product uses."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, ffn):
        super().__init__()
        self.heads = heads
        self.qkv, self.out = nn.Linear(h, 3 * h), nn.Linear(h, h)
        self.up, self.down = nn.Linear(h, ffn), nn.Linear(ffn, h)
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias):
        b, t, h = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, h // self.heads).permute(2, 0, 3, 1, 4)
        att = self.drop((q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + bias).softmax(-1))
        x = self.ln1(x + self.drop(self.out((att @ v).transpose(1, 2).reshape(b, t, h))))
        return self.ln2(x + self.drop(self.down(F.gelu(self.up(x)))))


class Encoder(nn.Module):
    def __init__(self, vocab, h, layers=2, heads=2):
        super().__init__()
        self.words, self.positions, self.types = nn.Embedding(vocab, h), nn.Embedding(512, h), nn.Embedding(2, h)
        self.ln, self.drop = nn.LayerNorm(h, eps=1e-12), nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer(h, heads, 4 * h) for _ in range(layers))

    def forward(self, ids, types, mask):
        x = self.words(ids) + self.positions(torch.arange(ids.shape[1]))[None] + self.types(types)
        x = self.drop(self.ln(x))
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        for layer in self.layers:
            x = layer(x, bias)
        return x


def layer_count(state):
    """How many transformer layers an Encoder state dict holds (ablation.py --layers)."""
    return 1 + max(int(k.split('.')[1]) for k in state if k.startswith('layers.'))


def hf_init(module):
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)


def adamw(params, lr, weight_decay=0.01):
    """AdamW as the product runs it: no decay on biases and LayerNorm (the 1-D parameters).
    `params` is a module or a list of (parameters, learning-rate scale) pairs."""
    groups = [(list(params.parameters()), 1.0)] if isinstance(params, nn.Module) else params
    out = []
    for ps, scale in groups:
        ps = [q for q in ps if q.requires_grad]
        out += [{'params': [q for q in ps if q.dim() >= 2], 'weight_decay': weight_decay, 'scale': scale},
                {'params': [q for q in ps if q.dim() < 2], 'weight_decay': 0.0, 'scale': scale}]
    return torch.optim.AdamW(out, lr=lr, betas=(0.9, 0.98), eps=1e-6)


def set_lr(opt, lr):
    for group in opt.param_groups:
        group['lr'] = lr * group.get('scale', 1.0)


def linear_schedule(step, total, warmup, peak):
    return peak * (step / warmup if step < warmup else max(0.0, (total - step) / max(1, total - warmup)))
