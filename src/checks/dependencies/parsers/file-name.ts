/** The last segment of a repository path (`apps/web/package.json` -> `package.json`). */
export function baseName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? path : path.slice(slash + 1);
}

/** The folder of a repository path, `""` at the root (`apps/web/package.json` -> `apps/web`). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}
