/**
 * Chooses the TF.js backend the engine trains on.
 *
 * Order for `auto`: `tensorflow` (native libtensorflow through the optional
 * `@tensorflow/tfjs-node`, whose install needs a download and is often absent),
 * then `wasm` (the embedded default, shipped inside the package), then plain `cpu`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from './kernels';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = [
  'auto',
  'tensorflow',
  'wasm',
  'cpu',
];

export interface BackendInfo {
  /** Name TF.js reports for the active backend. */
  name: string;
  tfjsVersion: string;
  /** Why backends earlier in the preference order were skipped. */
  skipped: { backend: string; reason: string }[];
}

const WASM_FILE = 'tfjs-backend-wasm.wasm';

/**
 * Where the `.wasm` binaries live: next to the bundle (dist/, also inside the
 * packaged extension) or, when running from sources, in node_modules.
 */
export function findWasmDirectory(
  startDirs: string[] = defaultWasmSearchDirs(),
): string | undefined {
  for (const dir of startDirs) {
    if (fs.existsSync(path.join(dir, WASM_FILE))) return dir;
  }
  return undefined;
}

function defaultWasmSearchDirs(): string[] {
  const dirs = [__dirname, path.join(__dirname, '..', 'dist')];
  try {
    dirs.push(path.dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILE}`)));
  } catch {
    // Not resolvable from a bundle; the directories above cover that case.
  }
  return dirs;
}

function tryLoadNativeBinding(): string | undefined {
  try {
    // Registers the 'tensorflow' backend as a side effect. Kept out of the bundle
    // (esbuild external) because it is a native addon.
    require('@tensorflow/tfjs-node');
    return undefined;
  } catch (err) {
    return `@tensorflow/tfjs-node is not usable (${firstLine(err)})`;
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? '';
}

async function activate(name: string): Promise<string | undefined> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    return undefined;
  } catch (err) {
    return firstLine(err);
  }
}

/** Activates the preferred backend, falling back in order for `auto`. */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  const order: BackendPreference[] =
    preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const skipped: BackendInfo['skipped'] = [];
  // PROD skips TF.js debug checks and its console banners (which would mix with CLI output).
  tf.env().set('PROD', true);
  for (const candidate of order) {
    let reason: string | undefined;
    if (candidate === 'tensorflow') {
      reason = tryLoadNativeBinding() ?? (await activate('tensorflow'));
    } else if (candidate === 'wasm') {
      const dir = findWasmDirectory();
      if (dir === undefined) {
        reason = `${WASM_FILE} not found next to the engine bundle or in node_modules`;
      } else {
        setWasmPaths(dir + path.sep);
        // Kernels wasm lacks for training (UnsortedSegmentSum) plus our fused ones.
        registerTrainingKernels();
        reason = await activate('wasm');
      }
    } else {
      reason = await activate(candidate);
    }
    if (reason === undefined)
      return { name: tf.getBackend(), tfjsVersion: tf.version.tfjs, skipped };
    skipped.push({ backend: candidate, reason });
  }
  const details = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new Error(`No TF.js backend could be started for '${preference}' (${details})`);
}
