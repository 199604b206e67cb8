// Path handling for file names in line tables, without Node's path module: joining a
// compilation directory, a directory entry and a file name, and lexical normalisation.

/** Joins `dir` and `name` unless `name` is absolute. */
export function joinPath(dir: string | undefined, name: string): string {
  if (name.startsWith('/') || dir === undefined || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Removes `.` components and folds `x/..`, as a debugger shows a path (no symlinks consulted). */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/** True when `query` names `path`: equal, or a suffix of it starting at a path component. */
export function pathMatches(path: string, query: string): boolean {
  if (path === query) return true;
  if (query.startsWith('/')) return normalizePath(query) === path;
  const q = normalizePath(query);
  return path.endsWith(`/${q}`) || path === q;
}

/**
 * Where the sources of a build are on this machine: paths the line tables give relative (a build
 * with -ffile-prefix-map=DIR=.) are under `base`; `map` rewrites the prefixes of paths from
 * another machine's build tree (the first matching pair, as written; longest first is the
 * caller's choice).
 */
export interface SourceLocation {
  readonly base?: string;
  readonly map?: readonly (readonly [from: string, to: string])[];
}

/** A line table's path as a path on this machine. */
export function locateSource(path: string, where: SourceLocation): string {
  for (const [from, to] of where.map ?? []) {
    const prefix = normalizePath(from);
    if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
      return normalizePath(joinPath(to, path.slice(prefix.length).replace(/^\/+/, '')));
    }
  }
  return path.startsWith('/') || where.base === undefined ? path : normalizePath(joinPath(where.base, path));
}
