/**
 * Published GLUE test-server scores of Google's BERT-Tiny (L=2, H=128, A=2;
 * pre-trained on BooksCorpus + English Wikipedia, about 3.3 billion words):
 * Turc, Chang, Lee, Toutanova, "Well-Read Students Learn Better: On the Importance
 * of Pre-training Compact Models", arXiv:1908.08962 (2019), as listed in the
 * google-research/bert README. Values in [0, 1] (the paper prints percentages).
 * GLUE *test* scores, so not directly comparable with our held-out split (a GLUE
 * dev subset); they are context for the absolute level, not a competitor.
 */
export const BERT_TINY_CITATION =
  'Turc et al. 2019, "Well-Read Students Learn Better" (arXiv:1908.08962), GLUE test server';

/** Task → { metric: value } for the tasks the paper reports (TREC is not in GLUE). */
export const BERT_TINY_GLUE_TEST: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  sst2: { accuracy: 0.832 },
  mrpc: { f1: 0.811 },
  stsb: { pearson: 0.743 },
  rte: { accuracy: 0.572 },
  cola: { mcc: 0.0 },
};
