import * as tf from '@tensorflow/tfjs';
import { type BackendInfo, type BackendPreference, initBackend } from '../train';

export interface DoctorReport {
  engineVersion: string;
  node: string;
  platform: string;
  backend: BackendInfo;
  /** A 2x2 matrix product computed on the active backend, proving it runs. */
  selfTest: { ok: boolean; result: number[] };
}

/** Starts a backend and runs one small tensor computation on it. */
export async function runDoctor(
  engineVersion: string,
  preference: BackendPreference,
): Promise<DoctorReport> {
  const backend = await initBackend(preference);
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)));
  const result = Array.from(await product.data());
  product.dispose();
  return {
    engineVersion,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    backend,
    selfTest: { ok: result.join(',') === '1,2,3,4', result },
  };
}

export function formatDoctor(report: DoctorReport): string {
  const lines = [
    `bomf ${report.engineVersion}`,
    `node ${report.node} (${report.platform})`,
    `tfjs ${report.backend.tfjsVersion}, backend: ${report.backend.name}`,
  ];
  for (const s of report.backend.skipped) lines.push(`  skipped ${s.backend}: ${s.reason}`);
  lines.push(`self-test: ${report.selfTest.ok ? 'ok' : `FAILED (${report.selfTest.result})`}`);
  return lines.join('\n');
}
