// .NET Guid.ToByteArray() order: the first three groups are little-endian,
// the last two are kept as written. Entra's federated subjects use that layout.

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Azure DevOps resource (first-party application) id. */
export const AZURE_DEVOPS_RESOURCE_ID = '499b84ac-1321-427f-aa17-267ca6975798';

export function isGuid(text: string): boolean {
  return GUID_PATTERN.test(text);
}

export function guidToDotNetBytes(guid: string): Buffer {
  if (!isGuid(guid)) {
    throw new Error(`Not a GUID: '${guid}'`);
  }
  const hex = Buffer.from(guid.replace(/-/g, ''), 'hex');
  return Buffer.concat([
    Buffer.from(hex.subarray(0, 4)).reverse(),
    Buffer.from(hex.subarray(4, 6)).reverse(),
    Buffer.from(hex.subarray(6, 8)).reverse(),
    hex.subarray(8, 16),
  ]);
}

/** 22-character base64url (no padding) of the .NET byte order. */
export function guidToDotNetBase64Url(guid: string): string {
  return guidToDotNetBytes(guid).toString('base64url');
}
