// A throwaway classic Jupyter Notebook server for the UI tests: Debian's /usr/bin/jupyter (notebook 6.x) on a free
// port of 127.0.0.1 with a random token, this project's tslab kernel (JUPYTER_PATH=<repo root>), and its own
// config, data and runtime folders so that a test never reads or writes ~/.jupyter. stop() shuts the kernels
// down, ends the server's process group, and kills any kernel process left over from this server (kernels run in
// their own session, so the process group does not reach them; they are found by this server's runtime folder).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "./helpers.js";

export const JUPYTER = process.env.JUPYTER_BIN ?? "/usr/bin/jupyter";

export interface JupyterServer {
  port: number;
  token: string;
  /** http://127.0.0.1:<port> */
  base: string;
  /** The URL of a notebook (a path relative to the notebook folder), token included. */
  notebookUrl(path: string): string;
  /** What the server has written to stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Ids of the processes whose command line mentions `needle` (Linux /proc; empty elsewhere). */
function processesMentioning(needle: string): number[] {
  if (!existsSync("/proc")) return [];
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").includes(needle)) pids.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/**
 * Starts `jupyter notebook` on `notebookDir`; `stateDir` (created if missing) holds its config, data and runtime
 * folders. Resolves once /api/status answers; rejects with the server's log if that takes longer than `timeoutMs`.
 */
export async function startJupyter(notebookDir: string, stateDir: string, timeoutMs = 30_000): Promise<JupyterServer> {
  if (!existsSync(JUPYTER)) {
    throw new Error(`No Jupyter at ${JUPYTER}: install it with "apt-get install jupyter-notebook" or set JUPYTER_BIN.`);
  }
  const dirs = { config: join(stateDir, "config"), data: join(stateDir, "data"), runtime: join(stateDir, "runtime") };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    JUPYTER,
    [
      "notebook",
      "--no-browser",
      `--port=${port}`,
      "--port-retries=0",
      "--ip=127.0.0.1",
      `--NotebookApp.token=${token}`,
      "--NotebookApp.password=",
      `--notebook-dir=${notebookDir}`,
      // CI containers (and this one) run as root, where notebook 6 refuses to start without it.
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ],
    {
      cwd: notebookDir,
      detached: true, // its own process group, so that stop() can end it with everything it started in that group
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        JUPYTER_PATH: [ROOT, process.env.JUPYTER_PATH].filter(Boolean).join(":"),
        JUPYTER_CONFIG_DIR: dirs.config,
        JUPYTER_DATA_DIR: dirs.data,
        JUPYTER_RUNTIME_DIR: dirs.runtime,
        BROWSER: "true",
      },
    },
  );
  let log = "";
  child.stdout!.on("data", (b: Buffer) => void (log += b.toString()));
  child.stderr!.on("data", (b: Buffer) => void (log += b.toString()));
  let spawnError: Error | undefined;
  child.on("error", (e) => void (spawnError = e));

  const server: JupyterServer = {
    port,
    token,
    base,
    notebookUrl: (path) => `${base}/notebooks/${path.split("/").map(encodeURIComponent).join("/")}?token=${token}`,
    log: () => log,
    async stop() {
      // 1. Ask the server to shut its kernels down (quick and clean while it still answers).
      if (alive(child)) {
        try {
          const res = await fetch(`${base}/api/kernels?token=${token}`, { signal: AbortSignal.timeout(3000) });
          const kernels = (await res.json()) as { id: string }[];
          await Promise.all(
            kernels.map((k) =>
              fetch(`${base}/api/kernels/${k.id}?token=${token}`, { method: "DELETE", signal: AbortSignal.timeout(5000) }).catch(() => undefined),
            ),
          );
        } catch {
          // the server is not answering: the signals below still end it
        }
      }
      // 2. End the server's process group: SIGTERM, then SIGKILL after 5 s.
      const group = child.pid;
      const signalGroup = (signal: NodeJS.Signals) => {
        if (group === undefined) return;
        try {
          process.kill(-group, signal);
        } catch {
          // the group is gone
        }
      };
      if (alive(child)) {
        signalGroup("SIGTERM");
        for (let i = 0; i < 50 && alive(child); i++) await sleep(100);
      }
      signalGroup("SIGKILL");
      // 3. Kernels live in their own sessions; their command lines name a connection file in our runtime folder.
      for (const pid of processesMentioning(dirs.runtime)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`Could not start ${JUPYTER}: ${spawnError.message}`);
    if (!alive(child)) {
      throw new Error(`jupyter notebook exited (code ${child.exitCode}, signal ${child.signalCode}) before answering:\n${log}`);
    }
    try {
      const res = await fetch(`${base}/api/status?token=${token}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`jupyter notebook did not answer on ${base}/api/status within ${timeoutMs / 1000} s. Its log:\n${log}`);
    }
    await sleep(250);
  }
}
