// Every secret passes through here the moment it exists, so the agent masks it before anything can print it,
// and so any text we print (including library error messages) can be scrubbed of every value seen so far.

export interface SecretSink {
  setSecret(value: string): void;
}

export class SecretRegistry {
  private readonly values = new Set<string>();

  constructor(private readonly sink: SecretSink) {}

  /** Registers the value and the derived forms a later step is likely to send: `Bearer x`, base64 of `:x`. */
  register(value: string): string {
    for (const form of derivedForms(value)) {
      if (this.values.has(form)) continue;
      this.values.add(form);
      this.sink.setSecret(form);
    }
    return value;
  }

  /** Scrubs a value the agent already masks (the job token) from our own text, without announcing it again. */
  remember(value: string): void {
    for (const form of derivedForms(value)) this.values.add(form);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so that a derived form is not half-replaced by the value it contains.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      result = result.split(value).join('***');
    }
    return result;
  }
}

export function derivedForms(value: string): string[] {
  return [value, `Bearer ${value}`, Buffer.from(`:${value}`).toString('base64')];
}
