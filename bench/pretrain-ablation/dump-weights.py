"""Writes an encoder saved by ablation.py (--save) under Hugging Face BERT names, one
float32 file per tensor plus index.json (name → shape), for import-weights.ts to turn
into a model folder with the product's own writer.

    /usr/bin/python3 bench/pretrain-ablation/dump-weights.py /tmp/ablation/c.pt /tmp/c-weights
"""
import json
import os
import sys

import numpy as np
import torch

source, out = sys.argv[1], sys.argv[2]
saved = torch.load(source)
state, pool, head, reference = (list(saved) + [None, None])[:4]  # older saves lack head and probe
H = state['words.weight'].shape[1]
names = {
    'words.weight': 'bert.embeddings.word_embeddings.weight',
    'positions.weight': 'bert.embeddings.position_embeddings.weight',
    'types.weight': 'bert.embeddings.token_type_embeddings.weight',
    'ln.weight': 'bert.embeddings.LayerNorm.weight',
    'ln.bias': 'bert.embeddings.LayerNorm.bias',
}
per_layer = {
    'out': 'attention.output.dense', 'ln1': 'attention.output.LayerNorm',
    'up': 'intermediate.dense', 'down': 'output.dense', 'ln2': 'output.LayerNorm',
}
tensors = {}
for key, value in state.items():
    if key in names:
        tensors[names[key]] = value
        continue
    _, layer, module, kind = key.split('.')
    prefix = f'bert.encoder.layer.{layer}.'
    if module == 'qkv':
        # The fused projection's output features are [q | k | v], each ordered head by head as HF's.
        for i, part in enumerate(('query', 'key', 'value')):
            tensors[f'{prefix}attention.self.{part}.{kind}'] = value[i * H:(i + 1) * H]
    else:
        tensors[f'{prefix}{per_layer[module]}.{kind}'] = value
if pool is not None:
    for kind in ('weight', 'bias'):
        tensors[f'bert.pooler.dense.{kind}'] = pool[kind]
if head is not None:
    for kind in ('weight', 'bias'):
        tensors[f'cls.predictions.transform.dense.{kind}'] = head['dense'][kind]
        tensors[f'cls.predictions.transform.LayerNorm.{kind}'] = head['ln'][kind]
    tensors['cls.predictions.bias'] = head['bias']
os.makedirs(out, exist_ok=True)
index = {}
for i, (name, value) in enumerate(sorted(tensors.items())):
    value.detach().numpy().astype(np.float32).tofile(os.path.join(out, f'{i}.f32'))
    index[name] = {'file': f'{i}.f32', 'shape': list(value.shape)}
json.dump(index, open(os.path.join(out, 'index.json'), 'w'), indent=1)
if reference is not None:
    json.dump(reference, open(os.path.join(out, 'reference.json'), 'w'))
print(f'{len(index)} tensors → {out}')
