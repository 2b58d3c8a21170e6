// A token or secret is sent only over https, and only where the user pointed it: every destination the task
// would send one to is pointed at a plain-HTTP loopback listener (or given user info), and the listener must
// receive nothing while the run fails with one line naming the setting to fix.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { failure, variables } from './agent';
import { Fixture, type RunOptions } from './fixture';
import { endpointFor } from './scenario';

const PASSWORD = 'pa55-in-the-url';

describe('EntraToken sends a token only to https:// URLs without user info, end to end', () => {
  let fixture: Fixture;
  let listener: Server;
  let listenerOrigin: string;
  let connections = 0;
  const sockets = new Set<Socket>();

  before(async () => {
    fixture = await Fixture.start();
    listener = createServer((_request, response) => response.end('{}'));
    listener.on('connection', (socket: Socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const address = listener.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    listenerOrigin = `127.0.0.1:${String(address.port)}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      listener.close(() => {
        resolve();
      }),
    );
    await fixture.close();
  });

  const devopsId = (): string => fixture.scenario.devops.connection.id;
  const verify = (extra: Record<string, string> = {}): Record<string, string> => ({
    azureDevOpsServiceConnection: devopsId(),
    verifyAccess: 'true',
    ...extra,
  });
  const plain = (path = '/contoso/'): string => `http://${listenerOrigin}${path}`;
  const withUserInfo = (path = '/contoso/'): string => `https://robot:${PASSWORD}@${listenerOrigin}${path}`;

  const cases: { name: string; options: () => RunOptions; expected: () => RegExp }[] = [
    {
      name: "verifyAccess: input 'organizationUrl'",
      options: () => ({ inputs: verify({ organizationUrl: plain() }) }),
      expected: () => /^Input 'organizationUrl' is 'http:\/\/127\.0\.0\.1:\d+\/contoso\/'/,
    },
    {
      name: "verifyAccess: input 'organizationUrl' with user info",
      options: () => ({ inputs: verify({ organizationUrl: withUserInfo() }) }),
      expected: () => /^Input 'organizationUrl' is 'https:\/\/\*\*\*@127\.0\.0\.1:\d+\/contoso\/'/,
    },
    {
      name: "verifyAccess: the Azure DevOps connection's URL",
      options: () => ({ inputs: verify(), endpoints: [{ ...endpointFor(fixture.scenario.devops), url: plain() }] }),
      expected: () =>
        new RegExp(`^The URL of service connection '${devopsId()}' is 'http://127\\.0\\.0\\.1:\\d+/contoso/'.*organizationUrl`),
    },
    {
      name: 'verifyAccess: System.CollectionUri',
      options: () => ({
        inputs: { connectionType: 'azureRM', azureSubscription: fixture.scenario.arm.connection.id, verifyAccess: 'true' },
        endpoints: [endpointFor(fixture.scenario.arm)],
        extra: { SYSTEM_COLLECTIONURI: plain() },
      }),
      expected: () => /^The variable System\.CollectionUri is 'http:\/\/127\.0\.0\.1:\d+\/contoso\/'.*organizationUrl/,
    },
    {
      name: "the authority: connection data 'activeDirectoryAuthority'",
      options: () => ({ endpoints: [endpointFor(fixture.scenario.devops, { activeDirectoryAuthority: plain('/') })] }),
      expected: () =>
        /^Service connection data 'activeDirectoryAuthority' is 'http:\/\/127\.0\.0\.1:\d+\/', but the Entra authority must be an https:\/\/ URL/,
    },
    {
      name: 'the authority: AZURE_AUTHORITY_HOST',
      options: () => ({ extra: { AZURE_AUTHORITY_HOST: plain('') } }),
      expected: () => /^AZURE_AUTHORITY_HOST is 'http:\/\/127\.0\.0\.1:\d+'/,
    },
    {
      name: 'the authority: AZURE_AUTHORITY_HOST with user info',
      options: () => ({ extra: { AZURE_AUTHORITY_HOST: withUserInfo('') } }),
      expected: () => /^AZURE_AUTHORITY_HOST is 'https:\/\/\*\*\*@127\.0\.0\.1:\d+'/,
    },
    {
      name: 'System.OidcRequestUri',
      options: () => ({ extra: { SYSTEM_OIDCREQUESTURI: plain('/contoso/_apis/oidctoken') } }),
      expected: () => /^The variable System\.OidcRequestUri is 'http:\/\/127\.0\.0\.1:\d+\/contoso\/_apis\/oidctoken'/,
    },
    {
      name: 'System.OidcRequestUri with user info',
      options: () => ({ extra: { SYSTEM_OIDCREQUESTURI: withUserInfo('/contoso/_apis/oidctoken') } }),
      expected: () => /^The variable System\.OidcRequestUri is 'https:\/\/\*\*\*@127\.0\.0\.1/,
    },
    ...(['nugetFeeds', 'npmRegistries', 'pipIndexes', 'gitOrganizations'] as const).flatMap((input) => [
      {
        name: `tool input '${input}'`,
        options: () => ({ inputs: { azureDevOpsServiceConnection: devopsId(), [input]: plain() } }),
        expected: () => new RegExp(`^Input '${input}' has the line 'http://127\\.0\\.0\\.1:\\d+/contoso/'`),
      },
      {
        name: `tool input '${input}' with user info`,
        options: () => ({ inputs: { azureDevOpsServiceConnection: devopsId(), [input]: `https://x.example/\n${withUserInfo()}` } }),
        expected: () => new RegExp(`^Input '${input}' has the line 'https://\\*\\*\\*@127\\.0\\.0\\.1:\\d+/contoso/'`),
      },
    ]),
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: fails before sending anything`, async () => {
      const before = connections;

      const { run, requests } = await fixture.run(testCase.options());

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', testCase.expected());
      assert.equal(run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'error').length, 1);
      assert.equal(connections - before, 0, 'the plain-HTTP listener received a connection');
      assert.deepEqual(requests, [], 'the run sent requests before refusing the URL');
      assert.equal(variables(run).size, 0);
      // task-lib itself echoes inputs and variables into debug lines; the task's own lines never repeat a password.
      assert.ok(
        run.lines.every((line) => line.startsWith('##vso[task.debug]') || !line.includes(PASSWORD)),
        'a password from a URL was printed',
      );
    });
  }
});
