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
