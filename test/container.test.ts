// The container image, built and started as an operator would, with no image registry: a Debian
// base made here by debootstrap (with this machine's Node.js 20, as the official node image has),
// the project's Dockerfile built on it by podman, the image started, /healthz read from it, and a
// clean stop. .ci/run installs podman, runc and debootstrap; where they are missing (a developer's
// machine) the test says so, and on CI that is an error.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { projectPath } from '../src/util/project.ts';

const TOOLS = ['podman', 'runc', 'debootstrap'];
const BASE = 'localhost/paperboy-test-base';
const IMAGE = 'localhost/paperboy-test';
const MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

function missing(): string | false {
  const absent = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  const why = absent.length
    ? `needs ${absent.join(', ')} (Debian packages; .ci/run installs them)`
    : process.getuid?.() !== 0
      ? 'needs root (podman, debootstrap)'
      : false;
  if (why && process.env.CI) throw new Error(`CI run without the container tools: ${why}`);
  return why;
}

/** Runs a command, its output kept (a failure's error carries it) rather than poured into the test's. */
const run = (command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: Buffer } = {}) =>
  execFileSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: 'pipe',
    env: { ...process.env, ...options.env },
    input: options.input,
  });

/** A Debian bookworm root with compilers (for the native modules) and this machine's Node.js, as an image. */
function makeBase(dir: string) {
  const root = join(dir, 'rootfs');
  run('debootstrap', ['--variant=minbase', '--include=ca-certificates,python3,make,g++', 'bookworm', root, MIRROR]);
  const node = process.execPath;
  const prefix = dirname(dirname(node)); // /usr, or /usr/local
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
  cpSync(node, join(root, 'usr/local/bin/node'));
  cpSync(join(prefix, 'include/node'), join(root, 'usr/local/include/node'), { recursive: true });
  cpSync(join(prefix, 'lib/node_modules/npm'), join(root, 'usr/local/lib/node_modules/npm'), { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
  // This machine's certificate authorities, which its network may need (a proxy's own).
  cpSync('/etc/ssl/certs/ca-certificates.crt', join(root, 'etc/ssl/certs/ca-certificates.crt'));
  run('chroot', [root, 'useradd', '--create-home', '--uid', '1000', 'node']);
  const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 2 * 1024 * 1024 * 1024 });
  run('podman', ['import', '--change', 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt', '-', BASE], { input: tar });
  rmSync(root, { recursive: true, force: true });
}

test(
  'the Dockerfile builds an image that serves, answers /healthz, and stops cleanly',
  { skip: missing(), timeout: 15 * 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-image-'));
    // This sandbox's kernel allows no new rlimits and mixes cgroup versions: runc, cgroupfs, no ulimits.
    const conf = join(dir, 'containers.conf');
    writeFileSync(conf, '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n');
    const env = { CONTAINERS_CONF: conf };
    const name = `paperboy-test-${process.pid}`;
    t.after(() => {
      spawnSync('podman', ['rm', '--force', name], { env: { ...process.env, ...env } });
      spawnSync('podman', ['rmi', '--force', IMAGE, BASE]);
      spawnSync('podman', ['image', 'prune', '--force']); // the build stage's image, nameless once built
      rmSync(dir, { recursive: true, force: true });
    });
    makeBase(dir);
    run('podman', [
      'build',
      '--isolation=chroot',
      '--network=host',
      '--format=docker',
      `--build-arg=BUILDER=${BASE}`,
      `--build-arg=RUNTIME=${BASE}`,
      `--tag=${IMAGE}`,
      projectPath('.'),
    ]);
    const inspect = JSON.parse(run('podman', ['image', 'inspect', IMAGE]))[0];
    assert.deepEqual(inspect.Config.Entrypoint, ['node', 'bin/paperboy.js']);
    assert.equal(inspect.Config.User, 'node');
    assert.ok(inspect.Config.Env.includes('DATABASE_URL=sqlite:/data/paperboy.db'));

    const port = 20_000 + Math.floor(Math.random() * 20_000);
    run(
      'podman',
      ['--runtime', 'runc', 'run', '--detach', '--name', name, '--network=host', '--env', `PORT=${port}`, IMAGE, 'serve', '--demo'],
      { env },
    );
    let health: { status: number; body: string } | null = null;
    for (let i = 0; i < 120 && !health; i++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then(async (r) => ({ status: r.status, body: await r.text() }))
        .catch(() => null);
      if (!health) await new Promise((r) => setTimeout(r, 500));
    }
    const logs = () => spawnSync('podman', ['logs', name], { encoding: 'utf8', env: { ...process.env, ...env } }).stderr;
    assert.ok(health, `the container never answered:\n${logs()}`);
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok', database: 'sqlite' });
    assert.match(await (await fetch(`http://127.0.0.1:${port}/`)).text(), /<title>Daily Papers/);
    // The image's own HEALTHCHECK, run inside it (podman schedules it with systemd, absent here).
    run('podman', ['healthcheck', 'run', name], { env });

    run('podman', ['stop', '--time', '20', name], { env });
    assert.equal(run('podman', ['inspect', '--format', '{{.State.ExitCode}}', name], { env }).trim(), '0', 'SIGTERM ends it cleanly');
  },
);

test(
  'the systemd unit is one systemd accepts',
  { skip: spawnSync('sh', ['-c', 'command -v systemd-analyze']).status !== 0 && 'needs systemd-analyze' },
  () => {
    const verified = spawnSync('systemd-analyze', ['verify', projectPath('deploy/paperboy.service')], { encoding: 'utf8' });
    assert.equal(verified.status, 0, verified.stderr);
    assert.doesNotMatch(verified.stderr, /Unknown|Invalid|Failed to parse/i);
  },
);
