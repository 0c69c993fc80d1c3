// A real headless Chromium for the tests of pages people look at: Debian's /usr/bin/chromium driven by
// playwright-core (no browser download). Screenshots go to test-output/screenshots/ for people to look at.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { ROOT } from "./helpers.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with "apt-get install chromium" or set CHROMIUM_PATH.`);
  // --no-sandbox: CI containers run as root, where Chromium's own sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

export function screenshotPath(name: string): string {
  const dir = join(ROOT, "test-output", "screenshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
