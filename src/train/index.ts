// Public surface of the training layer: data, tokenizer, model, training loop.
export * from './backend';
export * from './data';
export * from './evaluate';
export * from './loop';
export * from './metrics';
export * from './named-tensors';
export * from './safetensors';
export * from './tokenizer';
export * from './model';
export * from './pretrain';
