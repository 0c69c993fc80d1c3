// The command-line flags that put a Node.js process under Node's permission model, for the Node.js version that
// runs the grader (the sandboxes and the compile server are started with the grader's own `node`). The only
// difference between the supported versions is the name of the switch:
//   20.x, 22.0–22.12, 23.0–23.4: --experimental-permission (24 and later reject it: "bad option")
//   22.13+, 23.5+, 24, 26:       --permission
// The rest is the same on every version: --allow-fs-read/--allow-fs-write take one path per flag (isolate.ts),
// --allow-addons lets onnxruntime-node's native addon load, and child processes, workers, WASI and the inspector
// stay forbidden because their --allow-* flags are never given. Node 26 also forbids the network under the
// permission model (--allow-net, never given); before 26 only bubblewrap blocks it.

/** The switch that turns the permission model on in Node.js `version` ("v24.1.0" or "24.1.0"). */
export function permissionSwitch(version: string): "--permission" | "--experimental-permission" {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`Not a Node.js version: ${version}`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const stable = major >= 24 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  return stable ? "--permission" : "--experimental-permission";
}

/** Node's flags for an isolated process, apart from the paths it may read and write (isolate.ts adds those). */
export function permissionModelFlags(version: string = process.version): string[] {
  return [
    permissionSwitch(version),
    "--allow-addons", // onnxruntime-node is a native addon
    // the permission model was experimental before 22.13/23.5; silencing the warning (and any other experimental
    // feature's) also keeps a notebook's stderr the same on every version
    "--disable-warning=ExperimentalWarning",
  ];
}
