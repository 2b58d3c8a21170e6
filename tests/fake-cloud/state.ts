// Everything the fake "knows": organization, registered apps and service
// connections, issuer signing keys, and what it has seen and issued.
import { randomBytes, randomUUID } from 'node:crypto';
import { registerCertificate } from './client-certificate';
import type { RegisteredCertificate } from './client-certificate';
import { FaultQueue } from './faults';
import { AZURE_DEVOPS_RESOURCE_ID, guidToDotNetBase64Url } from './guid';
import { createSigningKey } from './jwt';
import type { SigningKey } from './jwt';
import type { AppRegistration, ArmSubscription, FakeCloudOptions, ManagedIdentity, RequestRecord, ServiceConnectionRecord } from './types';

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** Whoever an access token can be minted for: an app's service principal or a managed identity. */
export interface Principal {
  tenantId: string;
  clientId: string;
  objectId: string;
  displayName?: string;
  organizationMember: boolean;
  disabled: boolean;
  /** What the fake ARM lists for this principal. */
  subscriptions: ArmSubscription[];
}

/** An app registration with its defaults filled in (structurally a Principal). */
export interface RegisteredApp extends AppRegistration {
  objectId: string;
  organizationMember: boolean;
  disabled: boolean;
  clientSecrets: string[];
  expiredClientSecrets: string[];
  registeredCertificates: RegisteredCertificate[];
  subscriptions: ArmSubscription[];
}

export interface RegisteredManagedIdentity extends ManagedIdentity {
  objectId: string;
  organizationMember: boolean;
  disabled: boolean;
  subscriptions: ArmSubscription[];
}

function appKey(tenantId: string, clientId: string): string {
  return `${tenantId.toLowerCase()}/${clientId.toLowerCase()}`;
}

export class FakeCloudState {
  readonly organizationName: string;
  readonly organizationId: string;
  readonly oidcLifetimeSeconds: number;
  readonly accessTokenLifetimeSeconds: number;
  readonly jobToken = randomBytes(48).toString('base64url');
  readonly projectId = randomUUID();
  readonly planId = randomUUID();
  readonly jobId = randomUUID();
  /** The orchestration hub of the job: 'build' (YAML and classic build) or 'release' (classic release). */
  readonly hubName: 'build' | 'release';
  readonly deploymentId = randomUUID();
  /** Signs the access tokens the fake Entra issues. */
  readonly entraKey: SigningKey;
  readonly faults = new FaultQueue();
  readonly requests: RequestRecord[] = [];
  readonly issuedOidcTokens: string[] = [];
  readonly issuedAccessTokens: string[] = [];
  /** What App Service would put in IDENTITY_HEADER. */
  readonly identityHeader = randomBytes(24).toString('hex');
  private readonly apps = new Map<string, RegisteredApp>();
  private readonly managedIdentities = new Map<string, RegisteredManagedIdentity>();
  private defaultManagedIdentityId: string | undefined;
  private readonly connections = new Map<string, ServiceConnectionRecord>();
  private readonly issuerKeys = new Map<string, SigningKey>();

  constructor(options: FakeCloudOptions, entraKey: SigningKey = createSigningKey()) {
    this.entraKey = entraKey;
    this.organizationName = options.organizationName ?? 'contoso';
    this.hubName = options.hubName ?? 'build';
    this.organizationId = options.organizationId ?? randomUUID();
    this.oidcLifetimeSeconds = options.oidcLifetimeSeconds ?? 600;
    this.accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3599;
  }

  /** Path part of System.OidcRequestUri. */
  get oidcPath(): string {
    return `/${this.organizationName}/${this.projectId}/_apis/distributedtask/hubs/${this.hubName}/plans/${this.planId}/jobs/${this.jobId}/oidctoken`;
  }

  addApp(app: AppRegistration): void {
    this.apps.set(appKey(app.tenantId, app.clientId), {
      ...app,
      federatedCredentials: app.federatedCredentials.map((c) => ({ ...c })),
      objectId: app.objectId ?? randomUUID(),
      organizationMember: app.organizationMember ?? true,
      disabled: app.disabled ?? false,
      clientSecrets: [...(app.clientSecrets ?? [])],
      expiredClientSecrets: [...(app.expiredClientSecrets ?? [])],
      registeredCertificates: (app.certificates ?? []).map(registerCertificate),
      subscriptions: (
        app.subscriptions ?? [{ subscriptionId: randomUUID(), displayName: `${app.displayName ?? app.clientId} subscription` }]
      ).map((s) => ({ ...s })),
    });
  }

  findApp(tenantId: string, clientId: string): RegisteredApp | undefined {
    return this.apps.get(appKey(tenantId, clientId));
  }

  /** A later `default: true` identity replaces the earlier default; re-adding without it un-defaults. */
  addManagedIdentity(mi: ManagedIdentity): void {
    const key = mi.clientId.toLowerCase();
    const subscriptions = (mi.subscriptions ?? []).map((s) => ({ ...s }));
    this.managedIdentities.set(key, {
      ...mi,
      objectId: mi.objectId ?? randomUUID(),
      organizationMember: true,
      disabled: false,
      subscriptions,
    });
    if (mi.default === true) this.defaultManagedIdentityId = key;
    else if (this.defaultManagedIdentityId === key) this.defaultManagedIdentityId = undefined;
  }

  /** By client id, by object id, or (both undefined) the default identity. */
  findManagedIdentity(by: { clientId?: string; objectId?: string }): RegisteredManagedIdentity | undefined {
    if (by.clientId !== undefined) return this.managedIdentities.get(by.clientId.toLowerCase());
    if (by.objectId !== undefined) {
      const wanted = by.objectId.toLowerCase();
      return [...this.managedIdentities.values()].find((mi) => mi.objectId.toLowerCase() === wanted);
    }
    return this.defaultManagedIdentityId === undefined ? undefined : this.managedIdentities.get(this.defaultManagedIdentityId);
  }

  /** The app or managed identity an access token's tid + appid names. */
  findPrincipal(tenantId: string, clientId: string): Principal | undefined {
    const mi = this.managedIdentities.get(clientId.toLowerCase());
    const miInTenant = mi?.tenantId.toLowerCase() === tenantId.toLowerCase() ? mi : undefined;
    return this.findApp(tenantId, clientId) ?? miInTenant;
  }

  addConnection(connection: ServiceConnectionRecord): void {
    this.connections.set(connection.id.toLowerCase(), { ...connection });
  }

  findConnection(id: string): ServiceConnectionRecord | undefined {
    return this.connections.get(id.toLowerCase());
  }

  /** A tenant "exists" once an app, a managed identity or a service connection refers to it. */
  isKnownTenant(tenantId: string): boolean {
    const wanted = tenantId.toLowerCase();
    for (const app of this.apps.values()) {
      if (app.tenantId.toLowerCase() === wanted) return true;
    }
    for (const connection of this.connections.values()) {
      if (connection.tenantId.toLowerCase() === wanted) return true;
    }
    return [...this.managedIdentities.values()].some((mi) => mi.tenantId.toLowerCase() === wanted);
  }

  issuerFor(c: ServiceConnectionRecord): string {
    return c.issuerFormat === 'vstoken'
      ? `https://vstoken.dev.azure.com/${this.organizationId}`
      : `https://login.microsoftonline.com/${c.tenantId}/v2.0`;
  }

  subjectFor(c: ServiceConnectionRecord): string {
    if (c.issuerFormat === 'vstoken') {
      return `sc://${this.organizationName}/${c.projectName}/${c.name}`;
    }
    const tenant = guidToDotNetBase64Url(c.tenantId);
    const app = guidToDotNetBase64Url(AZURE_DEVOPS_RESOURCE_ID);
    return `/eid1/c/pub/t/${tenant}/a/${app}/sc/${this.organizationId}/${c.id}`;
  }

  /** The issuer's key, created on first use (each issuer signs with its own key). */
  signingKeyFor(issuer: string): SigningKey {
    const existing = this.issuerKeys.get(issuer);
    if (existing !== undefined) return existing;
    const key = createSigningKey();
    this.issuerKeys.set(issuer, key);
    return key;
  }

  /** What the fake Entra can fetch for an assertion issuer; undefined = unknown issuer. */
  knownSigningKey(issuer: string): SigningKey | undefined {
    return this.issuerKeys.get(issuer);
  }
}
