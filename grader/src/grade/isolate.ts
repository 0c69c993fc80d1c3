// How the grader starts a process it does not trust with anything: under Node's permission model (it may read only
// the given paths and write only in its own folder; no child processes, workers or inspector) and, where bubblewrap
// works, in its own namespaces (no network, no other processes to signal, a file system that holds only the
// system libraries, the readable paths, read-only, and its own folder). Used for the sandboxes and the compile server.
import { type ChildProcess, spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { permissionModelFlags } from "./node-flags.js";

/** The grader's own scripts for those processes, and what they import. */
const GRADE_DIR = dirname(fileURLToPath(import.meta.url));

/** The paths and, for links, their targets: workspace packages are symlinks. */
function withTargets(paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    out.add(p);
    try {
      out.add(realpathSync(p));
    } catch {
      /* a path that does not exist needs no permission */
    }
  }
  return [...out];
}

function permissionFlags(readable: string[], workDir: string): string[] {
  return [
    ...permissionModelFlags(), // for the running Node.js version
    ...withTargets([GRADE_DIR, workDir, ...readable]).map((p) => `--allow-fs-read=${p}`),
    `--allow-fs-write=${workDir}`,
  ];
}

const BWRAP = "/usr/bin/bwrap";
const SYSTEM_DIRS = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/alternatives", "/sys/devices/system/cpu"];

/** bubblewrap's arguments up to the command: a view of the file system that holds only what the process needs. */
function bwrapArgs(readable: string[], workDir: string): string[] {
  const nodeHome = dirname(dirname(realpathSync(process.execPath)));
  const args = ["--unshare-all", "--die-with-parent", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"];
  for (const dir of [...SYSTEM_DIRS, nodeHome]) args.push("--ro-bind-try", dir, dir);
  for (const p of withTargets([GRADE_DIR, ...readable])) args.push("--ro-bind-try", p, p);
  args.push("--bind", workDir, workDir, "--chdir", workDir);
  return args;
}

/** A user the process runs as instead of the grader's own. */
export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * When the grader runs as root (a container, Gradescope's machines), each process it starts runs as an unprivileged
 * user of its own, one per concurrent slot: it can then signal neither the grader nor another slot's process, and
 * owns nothing but its folder, even where bubblewrap cannot make namespaces. Otherwise: the grader's own user.
 */
export function slotUser(slot: number, needs: string[]): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = { uid: SLOT_UID_BASE + slot, gid: SLOT_UID_BASE + slot };
  return canReach(needs, user) ? user : undefined;
}
const SLOT_UID_BASE = 61_000;

const reachable = new Map<string, boolean>();
/**
 * Whether `user` can read the paths in `needs` (folders are also entered), probed once per list by a process
 * running as that user: a project kept in a folder only root may enter (mktemp -d makes those) cannot be run as
 * another user, and the grader then keeps its own.
 */
function canReach(needs: string[], user: RunAs): boolean {
  const key = `${user.uid}\0${needs.join("\0")}`;
  let ok = reachable.get(key);
  if (ok === undefined) {
    const probe = "const fs = require('fs'); for (const p of JSON.parse(process.argv[1])) fs.accessSync(p, fs.constants.R_OK | (fs.statSync(p).isDirectory() ? fs.constants.X_OK : 0));";
    const existing = needs.filter((p) => existsSync(p));
    ok = spawnSync(process.execPath, ["-e", probe, JSON.stringify(existing)], { stdio: "ignore", timeout: 10_000, env: {}, ...user }).status === 0;
    reachable.set(key, ok);
  }
  return ok;
}

const bwrapWorks = new Map<string, boolean>();
/** Whether bubblewrap can make namespaces here for that user (it needs unprivileged user namespaces, or root). */
export function osLayerAvailable(user?: RunAs): boolean {
  const key = user ? `${user.uid}:${user.gid}` : "self";
  let works = bwrapWorks.get(key);
  if (works === undefined) {
    works =
      existsSync(BWRAP) &&
      spawnSync(BWRAP, [...bwrapArgs([], "/tmp"), "--", process.execPath, "-e", ""], { stdio: "ignore", timeout: 10_000, ...user }).status === 0;
    bwrapWorks.set(key, works);
  }
  return works;
}

export interface IsolatedCommand {
  command: string[];
  /** The isolation layers in force, as reported in score documents. */
  layers: string[];
  /** The user to start it as (spawn's uid and gid), when not the grader's own. */
  user?: RunAs;
}

/**
 * The command line that runs `script` (a file of this folder, as compiled) isolated, with `workDir` as its folder;
 * `slot` picks its user when the grader is root (see slotUser), and `workDir` must then belong to that user.
 */
export function isolatedCommand(script: string, opts: { readable: string[]; workDir: string; maxHeapMb: number; osLayer?: boolean; slot: number }): IsolatedCommand {
  const user = slotUser(opts.slot, [...withTargets([GRADE_DIR, ...opts.readable]), dirname(opts.workDir)]);
  const layers = user ? ["node-permission-model", "unprivileged-user"] : ["node-permission-model"];
  const node = [process.execPath, `--max-old-space-size=${opts.maxHeapMb}`, ...permissionFlags(opts.readable, opts.workDir), fileURLToPath(new URL(script, import.meta.url))];
  if (opts.osLayer === false || !osLayerAvailable(user)) return { command: node, layers, ...(user && { user }) };
  // bwrap ignores SIGINT (set through the shell, kept across exec) so that an interrupt reaches only the process
  const command = ["/bin/sh", "-c", 'trap "" INT; exec "$0" "$@"', BWRAP, ...bwrapArgs(opts.readable, opts.workDir), "--", ...node];
  return { command, layers: [...layers, "bubblewrap"], ...(user && { user }) };
}

/** Sends a signal to a process started with `detached: true` and everything it started. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export const killGroup = (child: ChildProcess) => signalGroup(child, "SIGKILL");
