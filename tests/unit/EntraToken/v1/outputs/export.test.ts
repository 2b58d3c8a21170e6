import assert from 'node:assert/strict';
import { OUTPUTS, exportToken, type VariableSink } from '../../../../../tasks/EntraToken/v1/src/outputs/export';
import type { VariableOptions } from '../../../../../tasks/EntraToken/v1/src/platform/port';

class RecordingSink implements VariableSink {
  readonly variables: { name: string; value: string; options: VariableOptions }[] = [];

  setVariable(name: string, value: string, options: VariableOptions): void {
    this.variables.push({ name, value, options });
  }
}

describe('exportToken: the variables later steps read', () => {
  it('sets the named variable and accessToken as secrets, the rest as plain outputs', () => {
    const sink = new RecordingSink();

    exportToken(sink, 'GraphToken', { token: 'tok', expiresOn: new Date('2030-01-02T03:04:05Z') }, { tenantId: 't-1', clientId: 'c-1' });

    assert.deepEqual(sink.variables, [
      { name: 'GraphToken', value: 'tok', options: { secret: true, isOutput: false } },
      { name: 'accessToken', value: 'tok', options: { secret: true, isOutput: true } },
      { name: 'expiresOn', value: '2030-01-02T03:04:05.000Z', options: { secret: false, isOutput: true } },
      { name: 'tenantId', value: 't-1', options: { secret: false, isOutput: true } },
      { name: 'clientId', value: 'c-1', options: { secret: false, isOutput: true } },
    ]);
  });

  it('sets exactly the outputs it declares', () => {
    const sink = new RecordingSink();

    exportToken(sink, 'V', { token: 'tok', expiresOn: new Date(0) }, { tenantId: 't', clientId: 'c' });

    assert.deepEqual(
      sink.variables.filter((variable) => variable.options.isOutput).map((variable) => variable.name),
      [...OUTPUTS],
    );
  });
});
