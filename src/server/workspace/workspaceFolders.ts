import { checkInsideWorkspace, filePathOf, type WorkspaceCheck } from './workspacePaths';

/**
 * The window's workspace folders as file-system paths, in the client's order, following the
 * client's folder changes: what the server's requests that name a path are checked against.
 */
export class WorkspaceFolders {
  private folders: string[] = [];

  get paths(): readonly string[] {
    return this.folders;
  }

  /** From `initialize`: the folders' URIs (other schemes than file: are left out). */
  set(uris: readonly string[]): void {
    this.folders = uris.flatMap((u) => filePathOf(u) ?? []);
  }

  change(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed.flatMap((u) => filePathOf(u) ?? []));
    this.folders = [...this.folders.filter((f) => !gone.has(f)), ...added.flatMap((u) => filePathOf(u) ?? [])];
  }

  /** checkInsideWorkspace against these folders. */
  check(target: string, what: string): WorkspaceCheck {
    return checkInsideWorkspace(this.folders, target, what);
  }
}
