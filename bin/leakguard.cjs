#!/usr/bin/env node
'use strict';
// CommonJS on purpose: the pre-commit hook starts a fresh process on every commit,
// and a CommonJS entry needs no ESM loader. dist/cli.cjs is the whole hot path
// (everything else is in dist/full.cjs, loaded only when needed).
//
// Node 20 has no module.enableCompileCache(), so this file keeps V8's code cache of
// dist/cli.cjs itself, in a per-user folder (mode 0700, files 0600), one file per
// install (named by a hash of its path). A cache entry
// holds a byte-for-byte copy of the source it was made from and is used only when
// that copy equals the current dist/cli.cjs; V8 rejects it on its own if the Node
// version or flags differ. Anything unexpected (folder owned by someone else, open
// permissions, a symlink, a short read) means: no cache, load normally.
// LEAKGUARD_NO_CODE_CACHE=1 turns it off.
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'cli.cjs');

/** os.tmpdir() on POSIX, without loading node:os (nothing else on the hook's path needs it). */
function tmpDir() {
  const dir = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

function cacheDir() {
  if (process.env.LEAKGUARD_NO_CODE_CACHE || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  const dir = path.join(tmpDir(), `leakguard-code-cache-${uid}`);
  let info;
  try {
    info = fs.lstatSync(dir);
  } catch {
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
      info = fs.lstatSync(dir);
    } catch {
      return undefined;
    }
  }
  if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0) return undefined;
  return dir;
}

/** The cache file's contents if it is ours and private, else undefined. */
function readPrivate(file) {
  let fd;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const info = fs.fstatSync(fd);
    if (!info.isFile() || info.uid !== process.getuid() || (info.mode & 0o077) !== 0) return undefined;
    const data = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < info.size) {
      const n = fs.readSync(fd, data, read, info.size - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return data;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A short hash of this install's path, in the cache file's name: each install (a
 * project's node_modules, a global one, a checkout) keeps its own cache, so two
 * installs of different versions used in turn do not replace each other's cache on
 * every run. FNV-1a, without loading node:crypto.
 */
function pathHash(file) {
  let h = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// Cache file layout: "LGCC1\n" <source length, 4 bytes BE> <source bytes> <V8 code cache>.
const MAGIC = Buffer.from('LGCC1\n');

function cachedDataFor(file, source) {
  const data = readPrivate(file);
  if (!data || data.length < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = data.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (length !== source.length || data.length <= start + length) return undefined;
  if (!data.subarray(start, start + length).equals(source)) return undefined;
  return data.subarray(start + length);
}

function writeCache(file, source, cachedData) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const header = Buffer.alloc(MAGIC.length + 4);
    MAGIC.copy(header);
    header.writeUInt32BE(source.length, MAGIC.length);
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      fs.writeSync(fd, header);
      fs.writeSync(fd, source);
      fs.writeSync(fd, cachedData);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
  }
}

/**
 * A cache made from one run holds only the functions that run compiled: if the
 * first run after an install found nothing, every later run with findings would
 * compile the rest again (measured: 4 ms). So on a cache miss every function is
 * compiled now. The flag is restored at once: V8 checks a cache against the flags
 * in force when it is made and read, and every other run has lazy compilation.
 */
function compileEagerly(vm, wrapper) {
  const v8 = require('node:v8');
  v8.setFlagsFromString('--no-lazy');
  try {
    return new vm.Script(wrapper, { filename: entry });
  } finally {
    v8.setFlagsFromString('--lazy');
  }
}

function run() {
  let sourceBytes;
  let dir;
  try {
    dir = cacheDir();
    if (dir) sourceBytes = fs.readFileSync(entry);
  } catch {
    dir = undefined;
  }
  if (!dir || !sourceBytes) {
    require(entry);
    return;
  }
  const vm = require('node:vm');
  const cacheFile = path.join(dir, `cli-${pathHash(entry)}.v8`);
  const cachedData = cachedDataFor(cacheFile, sourceBytes);
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${sourceBytes.toString('utf8')}\n})`;
  let script = cachedData && new vm.Script(wrapper, { filename: entry, cachedData });
  if (!script || script.cachedDataRejected) {
    script = compileEagerly(vm, wrapper);
    // Written after the run, which may still have compiled something.
    process.once('exit', () => {
      try {
        writeCache(cacheFile, sourceBytes, script.createCachedData());
      } catch {
        // a cache is an optimisation only
      }
    });
  }
  const module = { exports: {}, filename: entry, id: entry, loaded: false };
  // The bundle requires only node builtins and absolute paths, so this file's own
  // require serves (createRequire would load the ESM loader machinery).
  script.runInThisContext().call(module.exports, module.exports, require, module, entry, path.dirname(entry));
}

run();
