import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The package version, read once from package.json beside dist/ (or the repository root). */
export function toolVersion(): string {
  if (version) return version;
  for (const location of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(location, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'leakguard' && pkg.version) return (version = pkg.version);
    } catch {
      // try the next location
    }
  }
  return (version = '0.0.0');
}
