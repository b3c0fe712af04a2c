#!/usr/bin/env node
// Screenshot of the local stack's Temporal Web UI (docs/web-ui-incident.png) with Debian's headless
// chromium (apt-get install -y chromium), for the README. Run it while `npm start` runs and an
// incident is open (e.g. during `node bin/safedeploy.js demo`, after the incident opens):
//
//   node --experimental-websocket scripts/screenshot-web-ui.mjs [--tab "User Metadata"] [url] [out.png]
//
// Defaults: the checkout incident's workflow page on http://127.0.0.1:8233 (or $SAFEDEPLOY_WEB_UI),
// its "Search Attributes" tab (--tab "" for none), written to docs/web-ui-incident.png.
// Why not `chromium --screenshot --virtual-time-budget`: the page of a running workflow long-polls its
// history, virtual time never advances past that request, and the capture waits until the workflow
// ends. So this drives chromium over the DevTools protocol and captures after a real-time pause.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const tabAt = args.indexOf('--tab');
const tab = (tabAt >= 0 ? args.splice(tabAt, 2)[1] : 'Search Attributes') || undefined;
const ui = process.env.SAFEDEPLOY_WEB_UI ?? 'http://127.0.0.1:8233';
const url = args[0] || `${ui}/namespaces/default/workflows/incident-checkout`;
const out = args[1] || 'docs/web-ui-incident.png';
const SETTLE_MS = 8_000;

const profile = mkdtempSync(join(tmpdir(), 'safedeploy-chromium-'));
const chromium = spawn(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--window-size=1400,900',
    '--remote-debugging-port=0',
    'about:blank',
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);

try {
  const page = await pageSession(await devToolsUrl(chromium));
  await page.send('Page.enable');
  await page.send('Emulation.setDeviceMetricsOverride', {
    width: 1400,
    height: 900,
    deviceScaleFactor: 1,
    mobile: false,
  });
  await page.send('Page.navigate', { url });
  await sleep(SETTLE_MS);
  if (tab) {
    const clicked = await page.send('Runtime.evaluate', {
      expression: clickByText(tab),
      returnByValue: true,
    });
    if (!clicked.result.value) throw new Error(`no "${tab}" tab on ${url}`);
    await sleep(3_000);
  }
  const shot = await page.send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(out, Buffer.from(shot.data, 'base64'));
  console.log(`wrote ${out} from ${url}${tab ? ` (${tab} tab)` : ''}`);
  page.close();
} finally {
  chromium.kill('SIGTERM');
  await new Promise((resolve) => chromium.once('exit', resolve));
  // Chromium's helper processes may still be writing the profile for a moment after it exits.
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

/** The browser's DevTools WebSocket address, which chromium prints on stderr once it listens. */
function devToolsUrl(child) {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`chromium exited with ${code}:\n${text}`)));
  });
}

/** A DevTools session on the first page target; send() resolves with the command's result. */
async function pageSession(browserWs) {
  const { origin } = new URL(browserWs.replace(/^ws/, 'http'));
  const targets = await (await fetch(`${origin}/json/list`)).json();
  const target = targets.find((t) => t.type === 'page');
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  };
  let nextId = 1;
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

function clickByText(text) {
  return `(() => {
    const el = [...document.querySelectorAll('a, button, [role=tab]')].find((e) => e.textContent.trim().startsWith(${JSON.stringify(text)}));
    if (el) el.click();
    return Boolean(el);
  })()`;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
