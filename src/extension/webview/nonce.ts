import { randomBytes } from 'node:crypto';

/**
 * A fresh, unguessable nonce for one rendering of a webview: only `<script>` and
 * `<style>` tags carrying it may run under the panel's Content-Security-Policy.
 * 16 random bytes, base64 (the CSP nonce grammar accepts base64 characters).
 */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
