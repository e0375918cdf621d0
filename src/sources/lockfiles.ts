import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gitText, runGit, splitNul } from '../git/run-git.js';

/** The names in one folder (POSIX path relative to the root, '' for the root) of the source being read. */
export type FolderNames = (dir: string) => Promise<Iterable<string>>;

export const LOCKFILE_REASON = 'lockfile beside its manifest';

/**
 * Lockfiles hold checksums and integrity hashes, never keys, but only where their
 * package manager wrote them: beside the manifest they lock. Each lockfile name maps
 * to the manifests (file names, or `*.ext`) of which one must sit in the same folder
 * of the same source (the index, the commit, the working tree) for the lockfile to
 * be skipped. A file with a lockfile's name anywhere else is read like any other.
 */
const LOCKFILE_MANIFESTS: Record<string, readonly string[]> = {
  'package-lock.json': ['package.json'],
  'npm-shrinkwrap.json': ['package.json'],
  'yarn.lock': ['package.json'],
  'pnpm-lock.yaml': ['package.json'],
  'bun.lock': ['package.json'],
  'go.sum': ['go.mod'],
  'Cargo.lock': ['Cargo.toml'],
  'poetry.lock': ['pyproject.toml'],
  'uv.lock': ['pyproject.toml'],
  'Pipfile.lock': ['Pipfile'],
  'composer.lock': ['composer.json'],
  'Gemfile.lock': ['Gemfile', 'gems.rb'],
  'mix.lock': ['mix.exs'],
  'pubspec.lock': ['pubspec.yaml'],
  'Podfile.lock': ['Podfile'],
  'packages.lock.json': ['*.csproj', '*.fsproj', '*.vbproj'],
  'flake.lock': ['flake.nix'],
  'gradle.lockfile': ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'],
  'deno.lock': ['deno.json', 'deno.jsonc'],
  'conan.lock': ['conanfile.txt', 'conanfile.py'],
  'paket.lock': ['paket.dependencies'],
  'shard.lock': ['shard.yml'],
  'Package.resolved': ['Package.swift'],
};

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The manifests one of which must sit beside `path` for it to be a skipped lockfile; undefined when its name is no lockfile's. */
export function lockfileManifests(path: string): readonly string[] | undefined {
  return Object.hasOwn(LOCKFILE_MANIFESTS, basename(path)) ? LOCKFILE_MANIFESTS[basename(path)] : undefined;
}

/** Whether a folder holding `names` holds one of `manifests`. */
export function hasManifest(manifests: readonly string[], names: Iterable<string>): boolean {
  for (const name of names) {
    for (const manifest of manifests) {
      if (manifest.startsWith('*') ? name.endsWith(manifest.slice(1)) : name === manifest) return true;
    }
  }
  return false;
}

/**
 * Decides, once per path, whether a file is a lockfile to skip: its name is a
 * lockfile's and one of its manifests sits in the same folder of the same source.
 */
export class LockfileCheck {
  private readonly folders = new Map<string, Promise<string[]>>();

  constructor(private readonly names: FolderNames) {}

  async reason(file: string): Promise<string | undefined> {
    const manifests = lockfileManifests(file);
    if (!manifests) return undefined;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    let names = this.folders.get(dir);
    if (!names) this.folders.set(dir, (names = this.names(dir).then((n) => [...n])));
    return hasManifest(manifests, await names) ? LOCKFILE_REASON : undefined;
  }

  /** Resolves every path in `files` that needs it; the answers, by path. */
  async reasons(files: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const file of files) {
      const reason = await this.reason(file);
      if (reason) out.set(file, reason);
    }
    return out;
  }
}

/** Any of these names could need a look at its folder. */
export function mayBeLockfile(file: string): boolean {
  return lockfileManifests(file) !== undefined;
}

/** Folder contents in the index (what is about to be committed). */
export function indexFolder(repoRoot: string): FolderNames {
  return async (dir) => {
    const glob = dir ? `${dir.replace(/[*?[\]\\]/g, '\\$&')}/*` : '*';
    const { stdout } = await runGit(['ls-files', '-z', '--cached', '--full-name', '--', `:(top,glob)${glob}`], { cwd: repoRoot });
    return splitNul(stdout).map((name) => name.slice(name.lastIndexOf('/') + 1));
  };
}

/** Folder contents in one commit's tree. */
export function commitFolder(repoRoot: string, commit: string): FolderNames {
  return async (dir) => {
    const tree = dir ? `${commit}:${dir}` : `${commit}^{tree}`;
    const listing = await gitText(['ls-tree', '-z', '--name-only', tree], { cwd: repoRoot });
    return splitNul(listing);
  };
}

/** Folder contents in the working tree (or a plain folder), `root` being what paths are relative to. */
export function diskFolder(root: string): FolderNames {
  return async (dir) => {
    try {
      return await readdir(path.join(root, ...dir.split('/').filter(Boolean)));
    } catch {
      return [];
    }
  };
}
