// Bare repositories with one commit each, made with the real git CLI in a
// temp dir, for git http-backend to serve.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Git with no system or user configuration: HOME is a directory we own. */
export function isolatedGitEnvironment(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LANG: 'C' };
}

export async function git(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { env, cwd, timeout: 20_000 });
  return stdout;
}

function checkedName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.endsWith('.git')) throw new Error(`unsupported repository name: ${name}`);
  return name;
}

async function writeTree(work: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = resolve(work, path);
    // Keep every file inside the work tree and out of .git.
    if (isAbsolute(path) || !target.startsWith(work + sep) || path.split(/[\\/]/).some((part) => part === '.git')) {
      throw new Error(`unsupported file path: ${path}`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

async function createRepository(root: string, name: string, files: Record<string, string>, env: NodeJS.ProcessEnv): Promise<void> {
  const bare = join(root, 'repos', checkedName(name));
  const work = join(root, 'work', name);
  await git(['init', '--quiet', '--bare', '--initial-branch=main', bare], env);
  await git(['init', '--quiet', '--initial-branch=main', work], env);
  await writeTree(work, files);
  await git(['add', '--all'], env, work);
  await git(
    [
      '-c',
      'user.name=Tool Server',
      '-c',
      'user.email=tool-server@example.invalid',
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      `Initial commit of ${name}`,
    ],
    env,
    work,
  );
  await git(['push', '--quiet', bare, 'main'], env, work);
}

/** Creates `${root}/repos/<name>` for every repository; returns that directory (GIT_PROJECT_ROOT). */
export async function createBareRepositories(root: string, repositories: Record<string, Record<string, string>>): Promise<string> {
  const env = isolatedGitEnvironment(root);
  await Promise.all(Object.entries(repositories).map(([name, files]) => createRepository(root, name, files, env)));
  return join(root, 'repos');
}
