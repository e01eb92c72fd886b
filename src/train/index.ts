// Public surface of the training layer: data, tokenizer, model, training loop.
export * from './backend';
