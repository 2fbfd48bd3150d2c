// `paperboy user`: the operator's hand on accounts (and a script's way to a member and a token). The first admin is made here, since nobody on
// the web may grant a role before an admin exists; it signs in by a one-time link printed here, so
// no password passes through the shell's history.
import type { Command } from 'commander';
import { createApiToken } from '../accounts/api-tokens.ts';
import { issueLink } from '../accounts/links.ts';
import { createMember, findMember, isReservedName, markVerified, nameProblem, ROLES, setRole } from '../accounts/members.ts';
import type { Role } from '../model/community.ts';
import { emailProblem } from '../mail/address.ts';
import { endAllSessions } from '../accounts/sessions.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../storage/db.ts';

type Open = () => Promise<{ config: Config; database: Database }>;

const SIGN_IN_LINK_MS = 24 * 3_600_000;

async function withDatabase<T>(open: Open, job: (config: Config, database: Database) => Promise<T>): Promise<T> {
  const { config, database } = await open();
  try {
    return await job(config, database);
  } finally {
    await database.close();
  }
}

/** A member by name or email address. */
async function lookUp(database: Database, who: string) {
  const member = await findMember(database, who.includes('@') ? { email: who } : { name: who });
  if (!member) throw new Error(`no member is called or has the address ${who}`);
  return member;
}

export function registerUser(program: Command, open: Open) {
  const user = program.command('user').description('member accounts and roles');

  user
    .command('create-admin')
    .description('make an admin (a new account, or an existing one promoted) and print a one-time sign-in link')
    .requiredOption('--email <address>', "the admin's email address")
    .option('--name <name>', 'public name for a new account (default: from the address)')
    .action(async (options: { email: string; name?: string }) =>
      withDatabase(open, async (config, database) => {
        const problem = emailProblem(options.email.trim().toLowerCase());
        if (problem) throw new Error(problem);
        const now = new Date();
        let member = await findMember(database, { email: options.email });
        if (member) {
          await setRole(database, member.id, 'admin');
          await markVerified(database, member.id, now);
        } else {
          member = await createAdmin(database, options, now);
        }
        const token = await issueLink(database, member.id, 'sign-in', member.email, now, SIGN_IN_LINK_MS);
        console.log(`${member.name} <${member.email}> is an admin.`);
        console.log(`Sign in within 24 hours (the link works once): ${config.PUBLIC_URL}/link?token=${token}`);
      }),
    );

  registerScriptAccess(user, open);

  user
    .command('set-role')
    .description(`give a member a role: ${ROLES.join(', ')}`)
    .argument('<member>', 'name or email address')
    .argument('<role>', ROLES.join(' | '))
    .action(async (who: string, role: string) =>
      withDatabase(open, async (_config, database) => {
        if (!ROLES.includes(role as Role)) throw new Error(`unknown role ${role}: choose ${ROLES.join(', ')}`);
        const member = await lookUp(database, who);
        await setRole(database, member.id, role as Role);
        console.log(`${member.name} is now ${role === 'admin' ? 'an' : 'a'} ${role} (was ${member.role}).`);
      }),
    );

  user
    .command('sign-out')
    .description('end every session of a member (a lost laptop, a leaked cookie)')
    .argument('<member>', 'name or email address')
    .action(async (who: string) =>
      withDatabase(open, async (_config, database) => {
        const member = await lookUp(database, who);
        await endAllSessions(database, member.id, new Date());
        console.log(`${member.name} is signed out everywhere.`);
      }),
    );
}

/** `user create` and `user token`: a member and a personal API token for a script, without a browser. */
function registerScriptAccess(user: Command, open: Open) {
  user
    .command('create')
    .description('make a confirmed member (for scripts and operators); they sign in by emailed links or a token')
    .argument('<name>', 'public name')
    .requiredOption('--email <address>', "the member's email address")
    .action(async (name: string, options: { email: string }) =>
      withDatabase(open, async (_config, database) => {
        const problem = nameProblem(name.trim().toLowerCase()) ?? emailProblem(options.email.trim().toLowerCase());
        if (problem) throw new Error(problem);
        const now = new Date();
        const created = await createMember(database, { name, email: options.email, password: null, verifiedAt: now.toISOString() }, now);
        if (created === 'name-taken') throw new Error(`the name ${name} is taken`);
        if (created === 'email-taken') throw new Error('that address has an account');
        console.log(`${created.name} <${created.email}> is a member. \`paperboy user token ${created.name}\` makes an API token.`);
      }),
    );

  user
    .command('token')
    .description('print a new personal API token for a member (shown once; they can revoke it in settings)')
    .argument('<member>', 'name or email address')
    .option('--label <label>', 'what the token is for, as settings lists it', 'command line')
    .action(async (who: string, options: { label: string }) =>
      withDatabase(open, async (_config, database) => {
        const member = await lookUp(database, who);
        const { token } = await createApiToken(database, member.id, options.label, new Date());
        console.log(token);
      }),
    );
}

/**
 * A new admin account. Its name is --name, or made from the address; a made name that is reserved
 * or taken (admin@… gives "admin") gets a number: admin-2, admin-3, …
 */
async function createAdmin(database: Database, options: { email: string; name?: string }, now: Date) {
  const base = (options.name ?? options.email.split('@')[0]!)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 27);
  for (let n = 1; n <= 20; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!options.name && isReservedName(name)) continue;
    const nameIssue = nameProblem(name);
    if (nameIssue) throw new Error(`${nameIssue} (choose one with --name)`);
    const created = await createMember(
      database,
      { name, email: options.email, password: null, role: 'admin', verifiedAt: now.toISOString() },
      now,
    );
    if (created === 'email-taken') throw new Error('that address has an account');
    if (created === 'name-taken') {
      if (options.name) throw new Error(`the name ${name} is taken: choose another with --name`);
      continue;
    }
    return created;
  }
  throw new Error('no free name was found: choose one with --name');
}
