/**
 * The config a run starts or resumes from. Reading and validating it, and checking the data
 * and model it names, happen before a run folder is made or a resumed log is continued, so
 * that bad input is a ConfigError (exit 2, naming the file and field) rather than a failed run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  formatDiagnostics,
  type ResolvedConfig,
  resolveConfig,
  validateConfigText,
} from '../config';
import { checkData } from '../config/data-check';
import { checkModel } from '../config/model-check';

/** Thrown for a config that does not validate; the message lists every diagnostic. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates `configFile` (with checkInputs, its data files too) into a ResolvedConfig. */
export function loadConfig(
  configFile: string,
  opts: { checkInputs?: boolean } = {},
): ResolvedConfig {
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${configFile}: ${(err as Error).message}`);
  }
  const { diagnostics, config } = validateConfigText(text, configFile, {
    baseDir: path.dirname(path.resolve(configFile)),
    data: opts.checkInputs,
  });
  if (!config) throw new ConfigError(formatDiagnostics(diagnostics));
  return resolveConfig(config, configFile);
}

/** The data and model checks of a run's resolved config, as a ConfigError naming each problem. */
export function checkRunInputs(config: ResolvedConfig, configFile: string): void {
  const errors = [...checkData(config, config.baseDir), ...checkModel(config, config.baseDir)]
    .filter((issue) => issue.severity === 'error')
    .map((issue) => `${configFile}: ${issue.path.join('.')}: ${issue.message}`);
  if (errors.length > 0) throw new ConfigError(`${errors.join('\n')}\nfix this, then resume again`);
}
