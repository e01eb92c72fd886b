import * as tf from '@tensorflow/tfjs';
import { type Command, Option } from 'commander';
import pkg from '../../../package.json';
import {
  BACKEND_PREFERENCES,
  type BackendInfo,
  type BackendPreference,
  initBackend,
} from '../../train';

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

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('report the engine version and the TF.js backend, and run a tensor self-test')
    .addOption(
      new Option('--backend <name>', 'backend to try').choices(BACKEND_PREFERENCES).default('auto'),
    )
    .option('--json', 'print the report as JSON')
    .action(async (opts: { backend: BackendPreference; json?: boolean }) => {
      const report = await runDoctor(pkg.version, opts.backend);
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatDoctor(report));
      if (!report.selfTest.ok) process.exitCode = 1;
    });
}
