/** curl and wget: which files a download writes to disk. */
import { parseOptions, type Invocation } from './command.js';

// curl/wget option parsing: which options take a value, so that clusters like -fsSLo are read right.
const CURL_SHORT_WITH_VALUE = new Set('odHuAeXTwxmrbcCEFKQtUyYzP'.split(''));
const CURL_LONG_WITH_VALUE = new Set([
  '--output',
  '--header',
  '--user',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--form',
  '--user-agent',
  '--referer',
  '--request',
  '--upload-file',
  '--write-out',
  '--proxy',
  '--max-time',
  '--range',
  '--cookie',
  '--cookie-jar',
  '--continue-at',
  '--cert',
  '--config',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '--connect-timeout',
  '--cacert',
  '--capath',
  '--key',
  '--proto',
  '--proto-redir',
  '--resolve',
  '--limit-rate',
  '--url',
  '--output-dir',
  '--max-redirs',
  '--expect100-timeout',
  '--ciphers',
  '--dns-servers',
  '--interface',
  '--keepalive-time',
  '--netrc-file',
  '--oauth2-bearer',
  '--pinnedpubkey',
  '--speed-limit',
  '--speed-time',
  '--time-cond',
  '--tls-max',
  '--trace',
  '--trace-ascii',
  '--unix-socket',
  '--connect-to',
  '--preproxy',
  '--proxy-user',
  '--happy-eyeballs-timeout-ms',
  '--create-file-mode',
]);
const WGET_SHORT_WITH_VALUE = new Set('OoaPtTwUeiBlARDXIQ'.split(''));
const WGET_LONG_WITH_VALUE = new Set([
  '--output-document',
  '--output-file',
  '--append-output',
  '--directory-prefix',
  '--tries',
  '--timeout',
  '--wait',
  '--user-agent',
  '--execute',
  '--input-file',
  '--base',
  '--level',
  '--accept',
  '--reject',
  '--domains',
  '--exclude-directories',
  '--include-directories',
  '--quota',
  '--header',
  '--user',
  '--password',
  '--http-user',
  '--http-password',
  '--post-data',
  '--post-file',
  '--ca-certificate',
  '--certificate',
  '--private-key',
  '--load-cookies',
  '--save-cookies',
  '--limit-rate',
  '--read-timeout',
  '--connect-timeout',
  '--dns-timeout',
  '--waitretry',
  '--progress',
  '--referer',
  '--bind-address',
]);

function basenameOfUrl(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/[^?#]*)/i.exec(url);
  if (!m) return null;
  const name = m[1].slice(m[1].lastIndexOf('/') + 1);
  return name === '' ? null : decodeURIComponentSafe(name);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Files that a curl or wget command writes to disk (paths as written, relative to the working
 * directory unless absolute). Unknown when the destination cannot be told: null.
 */
export function downloadedFiles(inv: Invocation): string[] | null {
  if (inv.name === 'curl') {
    const o = parseOptions(inv.args, CURL_SHORT_WITH_VALUE, CURL_LONG_WITH_VALUE);
    if (o.values.has('--output-dir')) return null;
    const out = o.values.get('-o') ?? o.values.get('--output');
    if (out !== undefined) return out === null || out === '-' ? null : [out];
    if (o.flags.has('-O') || o.flags.has('--remote-name') || o.flags.has('--remote-name-all')) {
      if (o.flags.has('-J') || o.flags.has('--remote-header-name')) return null;
      const names = o.positionals.map((u) => (u === null ? null : basenameOfUrl(u)));
      return names.every((n): n is string => n !== null) && names.length > 0 ? names : null;
    }
    return [];
  }
  if (inv.name === 'wget') {
    const o = parseOptions(inv.args, WGET_SHORT_WITH_VALUE, WGET_LONG_WITH_VALUE);
    if (o.values.has('-P') || o.values.has('--directory-prefix')) return null;
    if (o.flags.has('--content-disposition') || o.flags.has('--trust-server-names')) return null;
    if (o.flags.has('-r') || o.flags.has('--recursive') || o.flags.has('-m') || o.flags.has('--mirror'))
      return null;
    const out = o.values.get('-O') ?? o.values.get('--output-document');
    if (out !== undefined) return out === null || out === '-' ? null : [out];
    const names = o.positionals.map((u) => (u === null ? null : basenameOfUrl(u)));
    return names.every((n): n is string => n !== null) && names.length > 0 ? names : null;
  }
  return [];
}
