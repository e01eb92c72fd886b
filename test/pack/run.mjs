// The npm package as a cluster node gets it: `npm pack` (which builds the engine
// bundle through `prepack`), then an install of that tarball into an empty folder
// with no dev dependencies and no network, and the installed `bomf` run from a
// folder far from this repository: `bomf doctor`, then `bomf init` + `bomf run`
// of a tiny job. Fails on a tarball that misses a runtime file or ships sources.
// Usage: npm run test:pack   (Env: BOMF_PACK_KEEP=1 keeps the temp folder.)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-pack-'));
const log = (s) => console.log(`[pack ${new Date().toISOString().slice(11, 19)}] ${s}`);
let passed = 0;
let failed = 0;

function check(name, fn) {
  try {
    fn();
    passed++;
    log(`ok - ${name}`);
  } catch (err) {
    failed++;
    log(`not ok - ${name}\n${err instanceof Error ? err.message : err}`);
  }
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`.trim());
  }
  return r.stdout;
}

try {
  log('npm pack (prepack builds the engine bundle)');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The prepack build's lines come first on stdout, then npm's JSON array.
  const packed = JSON.parse(out.slice(out.search(/^\[/m)))[0];
  const tarball = path.join(tmp, packed.filename);
  const files = packed.files.map((f) => f.path);

  check('the tarball holds what runs and nothing of the sources', () => {
    const required = [
      'bin/bomf.js',
      'dist/engine.js',
      'dist/tfjs-backend-wasm.wasm',
      'assets/models/bomf-tiny/model.safetensors',
      'examples/tiny.bomf.yaml',
      'schemas/experiment.schema.json',
    ];
    const missing = required.filter((f) => !files.includes(f));
    const leaked = files.filter((f) =>
      /^(src|test|bench|scripts|docs|node_modules|examples\/runs)\/|^dist\/(extension|webview)\.js$/.test(
        f,
      ),
    );
    if (missing.length || leaked.length) {
      throw new Error(
        `missing: ${missing.join(', ') || 'none'}; leaked: ${leaked.join(', ') || 'none'}`,
      );
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    if (manifest.private) throw new Error('package.json is private: it cannot be published');
    if (Object.keys(manifest.dependencies ?? {}).length > 0) {
      throw new Error(
        `runtime dependencies ${Object.keys(manifest.dependencies).join(', ')}: the bundle carries them`,
      );
    }
  });

  const prefix = path.join(tmp, 'install');
  fs.mkdirSync(prefix);
  log(`npm install ${packed.filename} into an empty folder (offline, no dev dependencies)`);
  run(
    'npm',
    ['install', '--omit=dev', '--omit=optional', '--offline', '--no-audit', '--no-fund', tarball],
    prefix,
  );
  const bomf = path.join(prefix, 'node_modules', '.bin', 'bomf');
  const work = path.join(tmp, 'work');
  fs.mkdirSync(work);

  check('the installed bomf doctor passes its self-test', () => {
    const report = JSON.parse(run(bomf, ['doctor', '--json'], work));
    if (!report.backend) throw new Error(`no backend in ${JSON.stringify(report)}`);
  });

  check('bomf init + bomf run finish a tiny job from the installed package', () => {
    run(bomf, ['init', 'job.bomf.yaml', '--template', 'tiny'], work);
    run(bomf, ['run', 'job.bomf.yaml', '--out', 'runs'], work);
    const [runDir] = fs.readdirSync(path.join(work, 'runs'));
    const report = JSON.parse(
      fs.readFileSync(path.join(work, 'runs', runDir, 'report.json'), 'utf8'),
    );
    if (report.status !== 'done') throw new Error(`run status ${report.status}`);
    if (!fs.existsSync(path.join(work, 'runs', runDir, 'fused', 'model.safetensors'))) {
      throw new Error('no fused model was exported');
    }
  });
} catch (err) {
  failed++;
  log(`not ok - ${err instanceof Error ? err.message : err}`);
} finally {
  if (!process.env.BOMF_PACK_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else log(`kept ${tmp}`);
}
console.log(`pack: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
