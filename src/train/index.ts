// Public surface of the training layer: data, tokenizer, model, training loop.
export * from './backend';
export * from './data';
export * from './evaluate';
export * from './loop';
export * from './metrics';
export * from './model';
export * from './named-tensors';
export * from './pretrain';
export * from './safetensors';
export * from './tokenizer';
