import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contentSecurityPolicy,
  createNonce,
  renderDashboardHtml,
} from '../../../src/extension/dashboard/html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://x/dist/webview.js',
  styleUri: 'https://x/media/dashboard.css',
  nonce: 'abc123',
  runDir: '/runs/a "quoted" <run>',
};

test('nonces are 128 random bits and differ per page', () => {
  const a = createNonce();
  assert.equal(Buffer.from(a, 'base64').length, 16);
  assert.notEqual(a, createNonce());
});

test('the CSP denies by default and allows only the nonce script and extension styles', () => {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  assert.match(csp, /^default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'/);
  assert.match(csp, new RegExp(`style-src ${options.cspSource.replace(/[.+]/g, '\\$&')}(;|$)`));
  assert.doesNotMatch(csp, /unsafe-(inline|eval)|\*/);
});

test('the page loads the bundle with the nonce and escapes the run folder', () => {
  const html = renderDashboardHtml(options);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/media\/dashboard.css">/);
  assert.match(html, /http-equiv="Content-Security-Policy"/);
  assert.ok(html.includes('data-run-dir="/runs/a &#34;quoted&#34; &#60;run&#62;"'));
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'no inline script');
});
