import assert from 'node:assert/strict';
import { connectionDataUrl } from '../../../../../tasks/EntraToken/v1/src/outputs/verify-access';

describe('connectionDataUrl', () => {
  it('appends /_apis/connectionData to the organization path, with or without a trailing slash', () => {
    const urls = ['https://dev.azure.com/contoso', 'https://dev.azure.com/contoso/', 'https://contoso.visualstudio.com//'].map(
      connectionDataUrl,
    );

    assert.deepEqual(urls, [
      'https://dev.azure.com/contoso/_apis/connectionData',
      'https://dev.azure.com/contoso/_apis/connectionData',
      'https://contoso.visualstudio.com/_apis/connectionData',
    ]);
  });

  it('drops a query and a fragment and keeps a port, like VsoClient.resolveUrl()', () => {
    const url = connectionDataUrl('https://127.0.0.1:8443/tfs/Collection?x=1#top');

    assert.equal(url, 'https://127.0.0.1:8443/tfs/Collection/_apis/connectionData');
  });
});
