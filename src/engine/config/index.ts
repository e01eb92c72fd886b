// Experiment configs: schema, validation with source positions, resolution of defaults.

export { experimentJsonSchemaText } from './json-schema';
export { configReferenceMarkdown } from './reference';
export {
  type FusionObjective,
  type ResolvedConfig,
  resolveConfig,
  resolvedConfigYaml,
} from './resolve';
export * from './schema';
export {
  type ConfigDiagnostic,
  formatDiagnostics,
  type Suggestion,
  type ValidateOptions,
  type ValidationResult,
  validateConfigText,
} from './validate';
