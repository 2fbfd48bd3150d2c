// Configuration: environment variables, optionally preceded by a KEY=VALUE file named by
// PAPERBOY_CONFIG (or `--config`). Validated once at start so a typo fails loudly with the variable's
// name instead of surfacing later as a strange runtime error.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/paperboy.db')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
      message: 'must start with sqlite: (e.g. sqlite:./data/paperboy.db) or postgres://',
    }),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SITE_NAME: z.string().min(1).max(60).default('Paperboy'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600), // per client address
});

export type Config = Omit<z.infer<typeof schema>, 'PUBLIC_URL'> & { PUBLIC_URL: string };

export class ConfigError extends Error {}

/** Reads the configuration from `env` (default: the process environment) and an optional file. */
export function loadConfig(env: Record<string, string | undefined> = process.env, file = env.PAPERBOY_CONFIG): Config {
  let merged: Record<string, string | undefined> = { ...env };
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`);
    }
    // The environment wins over the file, so one-off overrides need no edit.
    merged = { ...parseEnv(text), ...env };
  }
  const known = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, merged[k] === '' ? undefined : merged[k]]));
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return { ...c, PUBLIC_URL: publicUrl };
}

/** The configuration as `paperboy config` prints it: passwords in URLs are masked. */
export function describeConfig(config: Config): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? maskSecrets(v) : v]),
  );
}

function maskSecrets(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)([^@]*)@/i, '$1***@');
}
