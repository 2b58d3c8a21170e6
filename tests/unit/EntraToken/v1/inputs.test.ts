import assert from 'node:assert/strict';
import { readInputs } from '../../../../tasks/EntraToken/v1/src/inputs';
import { normalizeScope } from '../../../../tasks/EntraToken/v1/src/token/scope';
import { DEFAULT_SCOPE, TaskError } from '../../../../tasks/EntraToken/v1/src/common/messages';

function source(inputs: Record<string, string>) {
  return { getInput: (name: string) => inputs[name] };
}

describe('readInputs: defaults', () => {
  it('uses the Azure DevOps connection type, scope and variable name when only the connection is given', () => {
    const inputs = readInputs(source({ azureDevOpsServiceConnection: ' conn-1 ' }));

    assert.deepEqual(inputs, {
      connectionType: 'azureDevOps',
      connectionInput: 'azureDevOpsServiceConnection',
      connectionId: 'conn-1',
      scope: DEFAULT_SCOPE,
      variableName: 'EntraAccessToken',
      additionalTokens: [],
      verifyAccess: false,
      organizationUrl: undefined,
      tenantId: undefined,
      tools: {
        nugetFeeds: [],
        npmRegistries: [],
        pipIndexes: [],
        pipReplaceIndex: false,
        gitOrganizations: [],
        environmentVariables: [],
        nugetSources: [],
        mavenFeeds: [],
        pypiUploads: [],
        containerRegistries: [],
      },
      tokenService: { enabled: false, scopes: [DEFAULT_SCOPE], terraformVariables: false },
    });
  });

  it('reads the ARM connection from connectedServiceNameARM (the name the agent uses for the alias azureSubscription) and accepts the type in any case', () => {
    const inputs = readInputs(source({ connectionType: 'AZURERM', connectedServiceNameARM: 'arm-1' }));

    assert.equal(inputs.connectionType, 'azureRM');
    assert.equal(inputs.connectionId, 'arm-1');
    assert.equal(inputs.connectionInput, 'azureSubscription');
    assert.ok(Object.isFrozen(inputs));
  });

  it('does not read the alias itself: the agent never sets INPUT_AZURESUBSCRIPTION', () => {
    assert.throws(
      () => readInputs(source({ connectionType: 'azureRM', azureSubscription: 'arm-1' })),
      /Input 'azureSubscription' is required/,
    );
  });
});

describe('readInputs: refusals name the input to fix', () => {
  const cases: { name: string; inputs: Record<string, string>; expected: RegExp }[] = [
    { name: 'missing Azure DevOps connection', inputs: {}, expected: /Input 'azureDevOpsServiceConnection' is required/ },
    { name: 'missing ARM connection', inputs: { connectionType: 'azureRM' }, expected: /Input 'azureSubscription' is required/ },
    {
      name: 'unknown connection type',
      inputs: { connectionType: 'github', connectedServiceNameARM: 'x' },
      expected: /Input 'connectionType' is 'github'.*'azureDevOps'.*'azureRM'/,
    },
    {
      name: 'two scopes',
      inputs: { azureDevOpsServiceConnection: 'c', scope: 'a/.default b/.default' },
      expected: /Input 'scope' is 'a\/\.default b\/\.default', which contains a space/,
    },
    {
      name: 'illegal variable name',
      inputs: { azureDevOpsServiceConnection: 'c', variableName: 'my-token' },
      expected: /Input 'variableName' is 'my-token'/,
    },
    {
      name: 'verifyAccess that is not a boolean',
      inputs: { azureDevOpsServiceConnection: 'c', verifyAccess: 'yes' },
      expected: /Input 'verifyAccess' is 'yes'\. Set it to 'true' or 'false'/,
    },
    {
      name: 'verifyAccess with a non-Azure DevOps scope',
      inputs: { azureDevOpsServiceConnection: 'c', verifyAccess: 'true', scope: 'https://graph.microsoft.com' },
      expected: /'verifyAccess' checks access to Azure DevOps, but input 'scope' asks for 'https:\/\/graph\.microsoft\.com\/\.default'/,
    },
    {
      name: 'organizationUrl that is not https',
      inputs: { azureDevOpsServiceConnection: 'c', organizationUrl: 'dev.azure.com/contoso' },
      expected: /Input 'organizationUrl' is 'dev\.azure\.com\/contoso'/,
    },
    {
      name: 'tenantId that is neither a GUID nor a domain',
      inputs: { azureDevOpsServiceConnection: 'c', tenantId: 'my_tenant' },
      expected: /Input 'tenantId' is 'my_tenant'\. Give a tenant id \(a GUID\) or a verified domain/,
    },
    {
      name: 'terraformVariables without the token service',
      inputs: { azureDevOpsServiceConnection: 'c', terraformVariables: 'true' },
      expected: /Input 'terraformVariables' needs the token service.*Set 'tokenService' to true/,
    },
    {
      name: 'terraformVariables that is not a boolean',
      inputs: { azureDevOpsServiceConnection: 'c', tokenService: 'true', terraformVariables: 'on' },
      expected: /Input 'terraformVariables' is 'on'/,
    },
    {
      name: 'reserved variable prefix',
      inputs: { azureDevOpsServiceConnection: 'c', variableName: 'System.AccessToken' },
      expected: /'System\.' are reserved/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.throws(
        () => readInputs(source(testCase.inputs)),
        (error: unknown) => {
          assert.ok(error instanceof TaskError);
          assert.match(error.message, testCase.expected);
          return true;
        },
      );
    });
  }
});

describe('normalizeScope', () => {
  const accepted: [string, string][] = [
    ['https://graph.microsoft.com', 'https://graph.microsoft.com/.default'],
    ['https://management.core.windows.net/', 'https://management.core.windows.net//.default'],
    ['499b84ac-1321-427f-aa17-267ca6975798', DEFAULT_SCOPE],
    ['api://my-api', 'api://my-api/.default'],
    ['https://vault.azure.net/.default', 'https://vault.azure.net/.default'],
  ];
  for (const [given, expected] of accepted) {
    it(`turns '${given}' into '${expected}'`, () => {
      assert.equal(normalizeScope(given), expected);
    });
  }

  for (const rejected of ['graph', 'http://insecure.example', 'https://a.example,https://b.example', '/.default', 'user.read']) {
    it(`rejects '${rejected}' with an example of a valid scope`, () => {
      assert.throws(() => normalizeScope(rejected), /for example '499b84ac-1321-427f-aa17-267ca6975798\/\.default'/);
    });
  }
});
