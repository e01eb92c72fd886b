/**
 * PEFT LoRA adapter configs for fusion. Σ_k w_k s B_k A_k is exactly one adapter of rank K·r with
 * B = [w_1 B_1 | … | w_K B_K] and A = [A_1; …; A_K], provided its scale s' = α'/r' (α'/√r' with
 * rsLoRA) equals the members' s: so α' = K·α (√K·α with rsLoRA), and so for per-module patterns.
 */

/** Fields that change what an adapter computes: members must agree on them. */
const MUST_AGREE = [
  'peft_type',
  'r',
  'lora_alpha',
  'use_rslora',
  'use_dora',
  'fan_in_fan_out',
  'rank_pattern',
  'alpha_pattern',
  'target_modules',
  'base_model_name_or_path',
] as const;

export interface LoraSettings {
  r: number;
  alpha: number;
  rslora: boolean;
  fanInFanOut: boolean;
  alphaPattern: Record<string, number>;
}

/** Checks the members' configs (file names given for messages) and returns the shared settings. */
export function loraSettings(configs: Record<string, unknown>[], files: string[]): LoraSettings {
  const first = configs[0]!;
  configs.forEach((config, k) => {
    for (const field of MUST_AGREE) {
      if (JSON.stringify(config[field]) !== JSON.stringify(first[field])) {
        throw new Error(
          `${files[k]}: "${field}" is ${JSON.stringify(config[field])} but ${JSON.stringify(first[field])} in ${files[0]}; fused adapters must share it`,
        );
      }
    }
  });
  const where = files[0]!;
  if (first.peft_type !== undefined && first.peft_type !== 'LORA') {
    throw new Error(`${where}: peft_type ${JSON.stringify(first.peft_type)} is not LORA`);
  }
  if (first.use_dora === true) {
    throw new Error(
      `${where}: DoRA adapters (use_dora) are not linear in B·A and cannot be fused exactly`,
    );
  }
  const r = first.r;
  const alpha = first.lora_alpha ?? 8;
  if (typeof r !== 'number' || !(r > 0)) throw new Error(`${where}: "r" must be a positive number`);
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new Error(`${where}: "lora_alpha" must be a number`);
  }
  return {
    r,
    alpha,
    rslora: first.use_rslora === true,
    fanInFanOut: first.fan_in_fan_out === true,
    alphaPattern: numberMap(first.alpha_pattern, 'alpha_pattern', where),
  };
}

/** The config of the fused adapter of rank K·r with the members' scale. */
export function fusedAdapterConfig(
  config: Record<string, unknown>,
  settings: LoraSettings,
  count: number,
  where: string,
): Record<string, unknown> {
  const alphaFactor = settings.rslora ? Math.sqrt(count) : count;
  const scaleMap = (map: Record<string, number>, factor: number) =>
    Object.fromEntries(Object.entries(map).map(([key, value]) => [key, value * factor]));
  return {
    ...config,
    r: settings.r * count,
    lora_alpha: settings.alpha * alphaFactor,
    rank_pattern: scaleMap(numberMap(config.rank_pattern, 'rank_pattern', where), count),
    alpha_pattern: scaleMap(settings.alphaPattern, alphaFactor),
  };
}

/**
 * The scale s of one adapted module: α/r (α/√r with rsLoRA), where r is the module's rank (from
 * its tensors) and α comes from `alpha_pattern` when a key matches the module's name as PEFT does
 * (the key, as a regular expression, matches a dotted suffix of the name).
 */
export function moduleScale(settings: LoraSettings, module: string, rank: number): number {
  let alpha = settings.alpha;
  for (const [pattern, value] of Object.entries(settings.alphaPattern)) {
    if (new RegExp(`(^|.*\\.)${pattern}$`).test(module)) {
      alpha = value;
      break;
    }
  }
  return settings.rslora ? alpha / Math.sqrt(rank) : alpha / rank;
}

function numberMap(value: unknown, field: string, where: string): Record<string, number> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${where}: "${field}" must be an object`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'number') throw new Error(`${where}: "${field}.${key}" must be a number`);
  }
  return value as Record<string, number>;
}
