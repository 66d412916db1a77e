import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ReadyThenFlushBuffer } from '../../../src/extension/webview/messageBuffer';
import { createNonce } from '../../../src/extension/webview/nonce';
import { buildPanelHtml, contentSecurityPolicy, escapeHtml } from '../../../src/extension/webview/panelHtml';
import { isWebviewStrings, WEBVIEW_STRINGS_ELEMENT_ID } from '../../../src/protocol/webviewStrings';
import { isWebviewReadyMessage } from '../../../src/protocol/webviewReady';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

test('nonces are long, base64 and different every time', () => {
  const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
  assert.equal(nonces.size, 50);
  for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
});

test('the CSP allows nothing by default, scripts only by nonce, assets only from the extension', () => {
  const csp = contentSecurityPolicy(cspSource, 'abc');
  const directives = Object.fromEntries(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
  assert.deepEqual(directives, {
    'default-src': ["'none'"],
    'script-src': ["'nonce-abc'"],
    'style-src': [cspSource, "'nonce-abc'"],
    'img-src': [cspSource, 'data:'],
    'font-src': [cspSource],
  });
});

test('panel HTML carries the CSP and tags every script and stylesheet with the nonce', () => {
  const html = buildPanelHtml({
    title: 'Check <Engine>',
    cspSource,
    nonce: 'n0nce',
    scripts: ['https://x/dist/webview/a.js', 'https://x/dist/webview/b.js'],
    styles: ['https://x/media/webview.css'],
    body: '<main id="root"></main>',
    language: 'en',
    strings: {},
  });
  assert.ok(html.includes(`content="${escapeHtml(contentSecurityPolicy(cspSource, 'n0nce'))}"`));
  assert.ok(html.includes('<title>Check &lt;Engine&gt;</title>'));
  const scriptTags = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scriptTags, [
    // Data only (the translations): a browser never runs a JSON block, so it needs no nonce.
    `<script type="application/json" id="${WEBVIEW_STRINGS_ELEMENT_ID}">`,
    '<script nonce="n0nce" src="https://x/dist/webview/a.js">',
    '<script nonce="n0nce" src="https://x/dist/webview/b.js">',
  ]);
  assert.ok(html.includes('<link rel="stylesheet" nonce="n0nce" href="https://x/media/webview.css">'));
  assert.ok(html.indexOf('<main id="root">') < html.indexOf('<script'), 'scripts load after the body markup');
  assert.ok(!/\son\w+=/.test(html), 'no inline event handlers');
});

test('attribute values are escaped so a URI cannot break out of its attribute', () => {
  const html = buildPanelHtml({
    title: 't',
    cspSource,
    nonce: 'n',
    scripts: ['https://x/a.js"><script>alert(1)'],
    language: 'en"><script>alert(2)',
    strings: {},
  });
  assert.ok(!html.includes('"><script>alert(1)'));
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;alert(1)'));
  assert.ok(!html.includes('<script>alert(2)'));
});

test('the panel carries the display language and its translations, which cannot close their data block', () => {
  const strings = { Smoothing: '平滑', 'a </script><script>alert(1)</script>': 'x' };
  const html = buildPanelHtml({ title: 't', cspSource, nonce: 'n', scripts: [], language: 'zh-cn', strings });
  assert.ok(html.includes('<html lang="zh-cn">'));
  const block = new RegExp(
    `<script type="application/json" id="${WEBVIEW_STRINGS_ELEMENT_ID}">(.*?)</script>`,
  ).exec(html);
  assert.ok(block, 'the translations are in the page');
  const parsed: unknown = JSON.parse(block[1]);
  assert.ok(isWebviewStrings(parsed));
  assert.deepEqual(parsed, strings);
  assert.equal(isWebviewStrings({ a: 1 }), false);
  assert.equal(isWebviewStrings(['a']), false);
  assert.equal(html.match(/<script/g)?.length, 1, 'the translations open no script of their own');
});

test('messages wait for ready, then flush in order, then post directly', () => {
  const posted: number[] = [];
  const buffer = new ReadyThenFlushBuffer<number>((message) => posted.push(message));
  buffer.send(1);
  buffer.send(2);
  assert.deepEqual(posted, []);
  assert.equal(buffer.pendingCount, 2);
  buffer.markReady();
  assert.deepEqual(posted, [1, 2]);
  buffer.send(3);
  assert.deepEqual(posted, [1, 2, 3]);
  assert.equal(buffer.pendingCount, 0);
});

test('only a well-formed ready message counts as ready', () => {
  assert.equal(isWebviewReadyMessage({ type: 'ready' }), true);
  for (const bad of [null, 'ready', { type: 'Ready' }, [], { kind: 'ready' }]) {
    assert.equal(isWebviewReadyMessage(bad), false);
  }
});
