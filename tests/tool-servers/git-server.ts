// Loopback Git smart-HTTP server: real bare repositories served by the real
// `git http-backend`, behind HTTPS that refuses requests `authorize` rejects.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCgi } from './cgi';
import { createBareRepositories, git, isolatedGitEnvironment } from './git-repos';
import { startToolServer } from './tls-server';
import type { Exchange } from './tls-server';
import type { GitServer, GitServerOptions } from './types';

/** Azure Repos shape: https://dev.azure.com/<org>/<project>/_git/<repo>. */
const REPO_PREFIX = '/contoso/project/_git/';

export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), 'tool-git-'));
  const env = isolatedGitEnvironment(root);
  let projectRoot: string;
  let backend: string;
  try {
    projectRoot = await createBareRepositories(root, options.repositories);
    backend = join((await git(['--exec-path'], env)).trim(), 'git-http-backend');
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const names = new Set(Object.keys(options.repositories));
  const running = new Set<{ done: Promise<void>; kill(): void }>();

  async function handle(exchange: Exchange): Promise<void> {
    const rest = exchange.path.startsWith(REPO_PREFIX) ? decodeURIComponent(exchange.path.slice(REPO_PREFIX.length)) : '';
    const name = rest.split('/', 1)[0] ?? '';
    if (!names.has(name)) {
      exchange.send(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Repository not found\n');
      return;
    }
    const run = runCgi(backend, exchange, {
      ...env,
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${rest}`,
      // Only authorized requests get here; a REMOTE_USER also lets pushes in (http.receivepack default).
      REMOTE_USER: 'tool-server-user',
    });
    running.add(run);
    try {
      await run.done;
    } finally {
      running.delete(run);
    }
  }

  const server = await startToolServer({
    tls: options.tls,
    authorize: options.authorize,
    unauthorized: { contentType: 'text/plain; charset=utf-8', body: 'Authentication required\n' },
    handle,
    cleanup: async () => {
      const pending = [...running];
      for (const run of pending) run.kill();
      await Promise.allSettled(pending.map((run) => run.done));
      await rm(root, { recursive: true, force: true });
    },
  });
  return {
    url: server.url,
    repoUrl: (name) => `${server.url}${REPO_PREFIX}${encodeURIComponent(name)}`,
    requests: server.requests,
    close: () => server.close(),
  };
}
