import { ReportError } from '../../blocks/errors.js';
import { readConfig } from '../config.js';
import { openTarget } from '../db/database.js';
import { Accounts } from './accounts.js';
import { backupDatabase, restoreDatabase } from './backup.js';

/**
 * `npm run admin -- <command>`: an operator sets up and keeps a district's accounts, and backs the
 * database up and restores it. Reads DATA_DIR like the server; every command says what it did.
 */
const USAGE = `usage: npm run admin -- <command> [--option value …]
  init --district <name> --username <u> [--name <display name>] [--password <p>]
                       the district, its lead office and its first administrator (once, on a new DATA_DIR)
  add-department --name <name> [--name-en <English name>] [--color #rrggbb]
  add-user --username <u> --name <display name> --department <department name> --role lead|editor|viewer [--password <p>]
  reset-password --username <u> [--password <p>]     ends every session of the user
  deactivate --username <u>                          the user can no longer log in; their sessions end
  list-users
  backup <file>        a consistent copy of the database, also while people are editing
  restore <file>       put a backup in place of the database (stop the server first; the current one is kept)
Without --password a password is generated and printed once.`;

type Options = Record<string, string>;

function parse(argv: string[]): { command: string | undefined; positional: string[]; options: Options } {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const options: Options = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    options[arg.slice(2)] = value;
    i++;
  }
  return { command, positional, options };
}

class UsageError extends Error {}

function required(options: Options, name: string): string {
  const value = options[name];
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

const givenPassword = (password: string, generated: boolean) => (generated ? `password (shown once, pass it on safely): ${password}` : 'password: as given');

async function run(argv: string[]): Promise<string> {
  const { command, positional, options } = parse(argv);
  const config = readConfig();
  if (command === 'backup' || command === 'restore') {
    const file = positional[0];
    if (!file) throw new UsageError(`${command} needs a file`);
    if (config.database.kind !== 'sqlite') {
      throw new UsageError(`${command} copies the embedded SQLite file; with DATABASE_URL the reports are in PostgreSQL: use its own tools (pg_dump / pg_restore, or continuous archiving)`);
    }
    const databaseFile = config.database.file;
    if (command === 'backup') {
      const { bytes, fromJournal } = await backupDatabase(databaseFile, file);
      return `backed up ${databaseFile} to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MiB${fromJournal > 0 ? `, ${fromJournal} updates from the server's journal` : ''})`;
    }
    const { kept } = restoreDatabase(file, databaseFile);
    return `restored ${file} as ${databaseFile}${kept ? `; the database it replaced is kept as ${kept}` : ''}`;
  }
  const database = await openTarget(config.database);
  try {
    const accounts = new Accounts(database.db);
    switch (command) {
      case 'init': {
        const { password, generated } = await accounts.init({ district: required(options, 'district'), username: required(options, 'username'), name: options.name, password: options.password });
        return `set up ${options.district} in ${database.location}: its lead office and the administrator ${options.username}\n${givenPassword(password, generated)}`;
      }
      case 'add-department': {
        const { id, color } = await accounts.addDepartment(null, { name: required(options, 'name'), nameEn: options['name-en'], color: options.color });
        return `added the department ${options.name} (id ${id}, colour ${color})`;
      }
      case 'add-user': {
        const input = { username: required(options, 'username'), name: required(options, 'name'), department: required(options, 'department'), role: required(options, 'role'), password: options.password };
        const { password, generated } = await accounts.addUser(null, input);
        return `added ${input.username} (${input.name}), ${input.role} in ${input.department}\n${givenPassword(password, generated)}`;
      }
      case 'reset-password': {
        const { password, generated } = await accounts.resetPassword(null, { username: required(options, 'username'), password: options.password });
        return `reset the password of ${options.username}; their sessions have ended\n${givenPassword(password, generated)}`;
      }
      case 'deactivate':
        await accounts.deactivate(null, required(options, 'username'));
        return `deactivated ${options.username}: they can no longer log in, and their sessions have ended`;
      case 'list-users': {
        const users = await accounts.listUsers();
        return users.map((user) => [user.username, user.name, user.role, user.department, user.deactivatedAt === null ? 'active' : 'deactivated'].join('\t')).join('\n') || '(no users)';
      }
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command');
    }
  } finally {
    await database.close();
  }
}

try {
  console.log(await run(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ReportError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
