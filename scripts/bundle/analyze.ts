// Which packages a bundle's bytes come from, from esbuild's metafile: the number to watch when trimming.
import type { Metafile } from 'esbuild';

export function bytesByPackage(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file);
      const name = match?.[1] ?? (file.includes(':') ? `(${file.split(':')[0] ?? 'virtual'})` : '(task source)');
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

export function printBreakdown(metafile: Metafile, top: number): void {
  for (const [name, bytes] of bytesByPackage(metafile).slice(0, top)) {
    console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${name}`);
  }
}
