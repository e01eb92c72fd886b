"""A small BERT-style sequence classifier in plain PyTorch.

Module and parameter names follow Hugging Face's BertForSequenceClassification
(bert.embeddings.word_embeddings.weight, bert.encoder.layer.0.attention.self.query.weight,
classifier.weight, ...), so its state dict is a Hugging Face checkpoint's, and the
config.json it writes uses Hugging Face's keys. The tokenizer is word-level with a
BERT vocab.txt ([PAD], [UNK], [CLS], [SEP] first), built from the training split.
"""
import collections
import json
import math
import os

import torch
from torch import nn

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]


class WordTokenizer:
    def __init__(self, vocab):
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}

    @classmethod
    def build(cls, texts, size):
        counts = collections.Counter(w for t in texts for w in t.lower().split())
        # Most frequent first, ties alphabetical, so the vocab is the same on every machine.
        words = sorted(counts, key=lambda w: (-counts[w], w))[: size - len(SPECIAL)]
        return cls(SPECIAL + words)

    @classmethod
    def load(cls, folder):
        with open(os.path.join(folder, "vocab.txt"), encoding="utf8") as f:
            return cls([line.rstrip("\n") for line in f])

    def save(self, folder):
        with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf8") as f:
            f.write("".join(w + "\n" for w in self.vocab))

    def encode(self, texts, max_length):
        """input_ids and attention_mask, [CLS] words [SEP], padded to the batch's longest."""
        rows = [[2] + [self.ids.get(w, 1) for w in t.lower().split()][: max_length - 2] + [3] for t in texts]
        width = max(len(r) for r in rows)
        ids = torch.tensor([r + [0] * (width - len(r)) for r in rows])
        return ids, (ids != 0).long()


class Dense(nn.Module):
    """Hugging Face's `*.output` blocks: dense, dropout, residual, LayerNorm."""

    def __init__(self, d_in, d_out, dropout, eps):
        super().__init__()
        self.dense = nn.Linear(d_in, d_out)
        self.LayerNorm = nn.LayerNorm(d_out, eps=eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        h = c["hidden_size"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def forward(self, x, mask):
        b, n, h = x.shape
        split = lambda t: t.view(b, n, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads)
        scores = scores.masked_fill(mask[:, None, None, :] == 0, torch.finfo(scores.dtype).min)
        out = self.dropout(scores.softmax(-1)) @ v
        return out.transpose(1, 2).reshape(b, n, h)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = Dense(c["hidden_size"], c["hidden_size"], c["hidden_dropout_prob"], c["layer_norm_eps"])

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = Dense(c["intermediate_size"], c["hidden_size"], c["hidden_dropout_prob"], c["layer_norm_eps"])

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], h, padding_idx=0)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, ids):
        pos = torch.arange(ids.shape[1], device=ids.device)[None, :]
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(torch.zeros_like(ids))
        return self.dropout(self.LayerNorm(x))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)


class BertForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.bert = Bert(config)
        self.dropout = nn.Dropout(config["hidden_dropout_prob"])
        self.classifier = nn.Linear(config["hidden_size"], config["num_labels"])
        self.apply(self._init)

    @staticmethod
    def _init(m):
        # Hugging Face's BERT initialization: N(0, 0.02) weights, zero biases.
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)

    def forward(self, ids, mask):
        x = self.bert.embeddings(ids)
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        return self.classifier(self.dropout(self.bert.pooler(x)))

    def freeze_bottom(self, n):
        """The stage-1 proxy: embeddings and the bottom n layers stay fixed."""
        frozen = [self.bert.embeddings] + list(self.bert.encoder.layer[:n])
        for module in frozen:
            for p in module.parameters():
                p.requires_grad_(False)


def tiny_config(vocab_size, num_labels, dropout):
    return {
        "architectures": ["BertForSequenceClassification"],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": dropout,
        "attention_probs_dropout_prob": dropout,
        "max_position_embeddings": 64,
        "type_vocab_size": 2,
        "layer_norm_eps": 1e-12,
        "num_labels": num_labels,
    }


def save_config(config, folder):
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def load_config(folder):
    with open(os.path.join(folder, "config.json")) as f:
        return json.load(f)
