// The setup the fake cloud's own tests share: a fake cloud that knows one service connection, and an app whose
// federated credential trusts that connection's OIDC tokens. Call it from a describe's `before`; close the cloud
// in its `after`.
import { readFileSync } from 'node:fs';
import { startConnectProxy, startFakeCloud } from './index';
import type { AppRegistration, ConnectProxy, FakeCloud, FakeCloudOptions, ServiceConnectionRecord } from './types';

export interface FederatedCloud {
  readonly cloud: FakeCloud;
  /** The PEM of the CA the cloud's TLS certificate chains to. */
  readonly ca: string;
}

export async function startFederatedCloud(
  connection: ServiceConnectionRecord,
  app: Omit<AppRegistration, 'federatedCredentials'>,
  options: FakeCloudOptions = {},
): Promise<FederatedCloud> {
  const cloud = await startFakeCloud(options);
  cloud.addConnection(connection);
  cloud.addApp({ ...app, federatedCredentials: [{ issuer: cloud.issuerFor(connection), subject: cloud.subjectFor(connection) }] });
  return { cloud, ca: readFileSync(cloud.caFile, 'utf8') };
}

/**
 * A CONNECT proxy that routes the public cloud's authority (login.microsoftonline.com:443) and Resource Manager
 * (management.azure.com:443) to the fake.
 */
export function startPublicCloudProxy(cloud: FakeCloud): Promise<ConnectProxy> {
  return startConnectProxy({
    routes: {
      'login.microsoftonline.com:443': `127.0.0.1:${String(cloud.port)}`,
      'management.azure.com:443': `127.0.0.1:${String(cloud.armPort)}`,
    },
  });
}
