// What F5 launches when launch.json says little or nothing: the guest ELF (the file in the editor
// when it is one, else the one the workspace has, else the user picks), recorded with time
// travel, its log beside it. Pure but for the ELF picker it is given, so it is tested without VS Code.

export interface LaunchContext {
  /** The file in the active editor, if any. */
  activeFile: string | undefined;
  /** Asks the user for an ELF (or finds the only one). */
  pickElf(): Promise<string | undefined>;
}

export interface LaunchConfig {
  type?: string;
  request?: string;
  name?: string;
  program?: string;
  rr?: string;
  [key: string]: unknown;
}

/** The configuration to launch, or undefined to cancel (no ELF chosen). */
export async function resolveLaunch(config: LaunchConfig, ctx: LaunchContext): Promise<LaunchConfig | undefined> {
  const resolved: LaunchConfig = { ...config };
  // F5 with no launch.json: an empty configuration.
  resolved.type ??= 'rvreplay';
  resolved.request ??= 'launch';
  resolved.name ??= 'rvreplay: record and debug';
  if (resolved.program === undefined) {
    const elf = ctx.activeFile?.endsWith('.elf') ? ctx.activeFile : await ctx.pickElf();
    if (elf === undefined) return undefined;
    resolved.program = elf;
  }
  resolved.rr ??= 'record';
  return resolved;
}
