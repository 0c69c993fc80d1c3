// The permission model's flags for each Node.js version, and that the Node.js running this test accepts its own
// (run this file under each supported Node.js: scripts/smoke-node.sh does).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { permissionModelFlags, permissionSwitch } from "../src/grade/node-flags.js";

test("the permission switch is --experimental-permission before 22.13 / 23.5, --permission from then on", () => {
  const cases: Array<[string, string]> = [
    ["v20.19.0", "--experimental-permission"],
    ["v20.20.2", "--experimental-permission"],
    ["v22.0.0", "--experimental-permission"],
    ["v22.12.0", "--experimental-permission"],
    ["v22.13.0", "--permission"],
    ["v22.23.5", "--permission"],
    ["v23.4.0", "--experimental-permission"],
    ["v23.5.0", "--permission"],
    ["v24.0.0", "--permission"],
    ["v24.22.3", "--permission"],
    ["v25.1.0", "--permission"],
    ["v26.12.1", "--permission"],
    ["30.0.0", "--permission"],
  ];
  for (const [version, flag] of cases) assert.is(permissionSwitch(version), flag, version);
  assert.throws(() => permissionSwitch("latest"), /Not a Node.js version/);
});

test("the flags differ between versions only in that switch", () => {
  for (const v of ["v20.19.0", "v22.12.0", "v22.13.0", "v24.0.0", "v26.0.0"]) {
    assert.equal(permissionModelFlags(v), [permissionSwitch(v), "--allow-addons", "--disable-warning=ExperimentalWarning"]);
  }
});

test(`this Node.js (${process.version}) accepts its flags, and they turn the permission model on`, () => {
  const flags = permissionModelFlags();
  for (const f of flags) assert.ok(process.allowedNodeEnvironmentFlags.has(f.split("=")[0]!), `${process.version} knows ${f}`);
  const dir = mkdtempSync(join(tmpdir(), "node-flags-"));
  try {
    const probe = [
      "const fs = require('fs');",
      "const denied = (f) => { try { f(); return false; } catch (e) { return e.code === 'ERR_ACCESS_DENIED'; } };",
      "console.log(JSON.stringify({",
      "  readOwn: process.permission.has('fs.read', process.cwd()),",
      "  readEtc: process.permission.has('fs.read', '/etc/hostname'),",
      "  writeTmp: process.permission.has('fs.write', '/tmp'),",
      "  spawnDenied: denied(() => require('child_process').execFileSync('/bin/true')),",
      "  workerDenied: denied(() => new (require('worker_threads').Worker)('1', { eval: true })),",
      // a native addon may be loaded (onnxruntime-node): a missing file fails to open instead of being refused
      "  addons: (() => { try { process.dlopen({ exports: {} }, '/nonexistent/addon.node'); } catch (e) { return e.code; } })(),",
      "}));",
    ].join("\n");
    const r = spawnSync(process.execPath, [...flags, `--allow-fs-read=${dir}`, `--allow-fs-write=${dir}`, "-e", probe], { cwd: dir, encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
    assert.not.match(r.stderr, /bad option|ExperimentalWarning/);
    assert.equal(JSON.parse(r.stdout), { readOwn: true, readEtc: false, writeTmp: false, spawnDenied: true, workerDenied: true, addons: "ERR_DLOPEN_FAILED" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
