/**
 * Streaming fusion of any safetensors checkpoints: files, model folders (single or sharded) and
 * PEFT LoRA adapters. Memory stays at a few chunks whatever the model's size; outputs are staged
 * and renamed into place, and never replace anything the tool did not write.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileSystem, syncDirectory } from '../../train/durable-fs';
import { writeFusedWeights } from './dense';
import { copyFileDurable, makeStagingDir, writeDirAtomic, writeFileDurable } from './io';
import { isWeightFile, type MemberLayout, resolveMember } from './layout';
import { writeFusedAdapter, writeMergedLoraDeltas } from './lora';
import { normalizeFusionWeights } from './plan';

export interface FuseFoldersOptions {
  /** For LoRA adapters: write the merged dense deltas instead of a rank-K·r adapter. */
  mergeLora?: boolean;
}

/** Provenance file written beside the fused weights. */
export const FUSION_RECORD = 'fusion.json';

/**
 * Fuses the members (model folders, sharded folders, adapter folders or lone safetensors files)
 * with `weights` (normalized to sum 1) into the new folder `outDir`, with the first member's
 * non-weight files (config.json, tokenizer files…) copied beside the weights.
 */
export async function fuseModelFolders(
  memberDirs: string[],
  weights: number[],
  outDir: string,
  opts: FuseFoldersOptions = {},
): Promise<void> {
  const normalized = normalizeFusionWeights(weights, memberDirs.length);
  const members = memberDirs.map(resolveMember);
  const adapters = members.filter((m) => m.kind === 'adapter').length;
  if (adapters > 0 && adapters < members.length) {
    const odd = members.find((m) => (m.kind === 'adapter') !== (members[0]!.kind === 'adapter'))!;
    throw new Error(
      `${odd.source} is ${odd.kind === 'adapter' ? 'a LoRA adapter' : 'a full checkpoint'} but ${members[0]!.source} is not: members must all be one or the other`,
    );
  }
  if (opts.mergeLora && adapters === 0) {
    throw new Error('--merge-lora needs LoRA adapter folders (adapter_model.safetensors)');
  }
  await writeDirAtomic(path.resolve(outDir), async (staging) => {
    if (adapters === 0) await writeFusedWeights(members, normalized, staging);
    else if (opts.mergeLora) writeMergedLoraDeltas(members, normalized, staging);
    else writeFusedAdapter(members, normalized, staging);
    copyNonWeightFiles(members[0]!, staging);
    const record = { members: members.map((m) => path.resolve(m.source)), weights: normalized };
    writeFileDurable(path.join(staging, FUSION_RECORD), `${JSON.stringify(record, null, 2)}\n`);
    syncDirectory(staging);
  });
}

/** Fuses lone safetensors files into the new file `outFile` (never replacing an existing one). */
export async function fuseSafetensorsFiles(
  memberFiles: string[],
  weights: number[],
  outFile: string,
): Promise<void> {
  const normalized = normalizeFusionWeights(weights, memberFiles.length);
  const members = memberFiles.map((file) => {
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      throw new Error(`${file} is not a safetensors file`);
    }
    return resolveMember(file);
  });
  const target = path.resolve(outFile);
  if (fs.existsSync(target)) throw new Error(`${target} exists; choose a new output file`);
  const staging = makeStagingDir(target);
  try {
    // One output file, whatever the members' names: write it as 'out' in the staging folder.
    for (const m of members) for (const name of m.shardOf.keys()) m.shardOf.set(name, 'out');
    await writeFusedWeights(members, normalized, staging);
    // link() fails if the target appeared meanwhile, where rename() would replace it.
    fileSystem().link(path.join(staging, 'out'), target);
    syncDirectory(path.dirname(target));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function copyNonWeightFiles(member: MemberLayout, staging: string): void {
  if (!member.dir) return;
  for (const entry of fs.readdirSync(member.dir, { withFileTypes: true })) {
    if (!entry.isFile() || isWeightFile(entry.name) || entry.name === FUSION_RECORD) continue;
    copyFileDurable(path.join(member.dir, entry.name), path.join(staging, entry.name));
  }
}
