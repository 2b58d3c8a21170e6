// Chooses the proxy for one URL. The agent's proxy (Agent.ProxyUrl, set by `config.sh --proxyurl`) wins unless its
// bypass list matches; without it, the Azure SDK pipeline applies HTTPS_PROXY / NO_PROXY itself.
import type { ProxySettings } from '@azure/core-rest-pipeline';
import type { AgentProxy } from '../platform/port';

export function proxyFor(requestUrl: string, agentProxy: AgentProxy | undefined): ProxySettings | undefined {
  if (!agentProxy) return undefined;
  const bypassed = agentProxy.bypass.some((pattern) => {
    try {
      return new RegExp(pattern, 'i').test(requestUrl);
    } catch {
      return false; // an invalid pattern in the agent's bypass list must not break token acquisition
    }
  });
  if (bypassed) return undefined;
  const url = new URL(agentProxy.url);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  return {
    host: `${url.protocol}//${url.hostname}`,
    port: url.port === '' ? defaultPort : Number(url.port),
    username: agentProxy.username,
    password: agentProxy.password,
  };
}
