import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config-error.ts';
import {
  checkUrl,
  classifyHost,
  type HostClass,
  METADATA_HOSTS,
  parseAllowedHosts,
  providerUrlRules,
  type UrlRules,
} from '../../../src/security/url-rules.ts';

function reasonFor(value: string, rules: UrlRules = {}): string | undefined {
  const result = checkUrl(value, rules);
  return result.ok ? undefined : result.reason;
}

function hrefFor(value: string, rules: UrlRules = {}): string | undefined {
  const result = checkUrl(value, rules);
  return result.ok ? result.url.href : undefined;
}

const loopback = (host: string) => `it points at a loopback address (${host})`;

describe('client URLs that point at the gateway itself', () => {
  it.each([
    ['https://127.0.0.1/a.png', loopback('127.0.0.1')],
    ['https://127.0.0.1:8787/v1/jobs', loopback('127.0.0.1')],
    ['https://127.255.255.254/', loopback('127.255.255.254')],
    ['https://127.1/', loopback('127.0.0.1')],
    ['https://127.0.1/', loopback('127.0.0.1')],
    ['https://2130706433/', loopback('127.0.0.1')],
    ['https://0x7f000001/', loopback('127.0.0.1')],
    ['https://0x7f.0.0.1/', loopback('127.0.0.1')],
    ['https://0x7f.1/', loopback('127.0.0.1')],
    ['https://0177.0.0.1/', loopback('127.0.0.1')],
    ['https://017700000001/', loopback('127.0.0.1')],
    ['https://127.0.0.1./', loopback('127.0.0.1')],
    ['https://127.0.0.1../', loopback('127.0.0.1..')],
    ['https://%31%32%37.0.0.1/', loopback('127.0.0.1')],
    ['https://１２７.０.０.１/', loopback('127.0.0.1')],
    ['https://[::1]/', loopback('::1')],
    ['https://[0:0:0:0:0:0:0:1]:443/', loopback('::1')],
    ['https://[::ffff:127.0.0.1]/', loopback('::ffff:7f00:1')],
    ['https://[::ffff:7f00:1]/', loopback('::ffff:7f00:1')],
    ['https://[::127.0.0.1]/', loopback('::7f00:1')],
    ['https://[64:ff9b::127.0.0.1]/', loopback('64:ff9b::7f00:1')],
    ['https://[2002:7f00:1::]/', loopback('2002:7f00:1::')],
    ['https://localhost/', 'it points at a loopback host (localhost)'],
    ['https://LOCALHOST:8787/', 'it points at a loopback host (localhost)'],
    ['https://localhost./', 'it points at a loopback host (localhost.)'],
    ['https://api.localhost/', 'it points at a loopback host (api.localhost)'],
    ['https://localhost.localdomain/', 'it points at a loopback host (localhost.localdomain)'],
    ['https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', 'it points at a loopback host (localhost)'],
  ])('refuses %s: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });
});

describe('client URLs that point at cloud metadata', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['https://2852039166/', '169.254.169.254'],
    ['https://0xa9fea9fe/', '169.254.169.254'],
    ['https://0251.0376.0251.0376/', '169.254.169.254'],
    ['https://169.254.43518/', '169.254.169.254'],
    ['https://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
    ['https://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe'],
    ['https://[fd00:ec2::254]/latest/meta-data/', 'fd00:ec2::254'],
    ['https://169.254.170.2/v2/credentials', '169.254.170.2'],
    ['https://100.100.100.200/latest/meta-data/', '100.100.100.200'],
    ['https://168.63.129.16/machine', '168.63.129.16'],
  ])('refuses %s', (value, host) => {
    expect(reasonFor(value)).toBe(`it points at a cloud metadata address (${host})`);
  });

  it.each([
    ['https://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal'],
    ['https://METADATA.GOOGLE.INTERNAL./', 'metadata.google.internal.'],
    ['https://metadata/computeMetadata/v1/', 'metadata'],
    ['https://metadata.goog/', 'metadata.goog'],
    ['https://instance-data/latest/', 'instance-data'],
    ['https://instance-data.ec2.internal/', 'instance-data.ec2.internal'],
    ['https://metadata.tencentyun.com/latest/meta-data/', 'metadata.tencentyun.com'],
  ])('refuses %s by name', (value, host) => {
    expect(reasonFor(value)).toBe(`it points at a cloud metadata host (${host})`);
  });
});

describe('client URLs that point at other non-public addresses', () => {
  it.each([
    ['https://10.0.0.1/', 'it points at a private address (10.0.0.1)'],
    ['https://10.1/', 'it points at a private address (10.0.0.1)'],
    ['https://012.0.0.1/', 'it points at a private address (10.0.0.1)'],
    ['https://172.16.5.4/', 'it points at a private address (172.16.5.4)'],
    ['https://172.31.255.255/', 'it points at a private address (172.31.255.255)'],
    ['https://192.168.0.1:8443/', 'it points at a private address (192.168.0.1)'],
    ['https://0xc0a80001/', 'it points at a private address (192.168.0.1)'],
    ['https://100.64.0.1/', 'it points at a private address (100.64.0.1)'],
    ['https://[fd12::1]/', 'it points at a private address (fd12::1)'],
    ['https://[::ffff:10.0.0.1]/', 'it points at a private address (::ffff:a00:1)'],
    ['https://[64:ff9b::10.0.0.1]/', 'it points at a private address (64:ff9b::a00:1)'],
    ['https://[2002:c0a8:101::1]/', 'it points at a private address (2002:c0a8:101::1)'],
    ['https://db.internal/', 'it points at a private host (db.internal)'],
    ['https://nas.home.arpa/', 'it points at a private host (nas.home.arpa)'],
    ['https://router.lan/', 'it points at a private host (router.lan)'],
    ['https://intranet/', 'it points at a private host (intranet)'],
    ['https://169.254.1.1/', 'it points at a link-local address (169.254.1.1)'],
    ['https://[fe80::1]/', 'it points at a link-local address (fe80::1)'],
    ['https://printer.local/', 'it points at a link-local host (printer.local)'],
    ['https://0.0.0.0/', 'it points at an unspecified address (0.0.0.0)'],
    ['https://0/', 'it points at an unspecified address (0.0.0.0)'],
    ['https://[::]/', 'it points at an unspecified address (::)'],
    ['https://224.0.0.1/', 'it points at a multicast address (224.0.0.1)'],
    ['https://[ff02::1]/', 'it points at a multicast address (ff02::1)'],
    ['https://255.255.255.255/', 'it points at the broadcast address (255.255.255.255)'],
    ['https://192.0.2.1/', 'it points at a documentation address (192.0.2.1)'],
    ['https://[2001:db8::1]/', 'it points at a documentation address (2001:db8::1)'],
    ['https://240.0.0.1/', 'it points at a reserved address (240.0.0.1)'],
    ['https://198.18.0.1/', 'it points at a reserved address (198.18.0.1)'],
    ['https://192.0.0.8/', 'it points at a reserved address (192.0.0.8)'],
  ])('refuses %s: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });
});

describe('client URLs that are safe', () => {
  it.each([
    ['https://example.com/cat.png', 'https://example.com/cat.png'],
    ['https://EXAMPLE.COM/cat.png', 'https://example.com/cat.png'],
    ['HTTPS://example.com/cat.png', 'https://example.com/cat.png'],
    ['https://example.com./cat.png', 'https://example.com./cat.png'],
    ['https://example.com:8443/cat.png?size=large#top', 'https://example.com:8443/cat.png?size=large#top'],
    ['https://example.com:443/cat.png', 'https://example.com/cat.png'],
    ['https://cdn.aimlapi.com/v.mp4?X-Amz-Signature=abc', 'https://cdn.aimlapi.com/v.mp4?X-Amz-Signature=abc'],
    ['https://my_bucket.s3.amazonaws.com/key', 'https://my_bucket.s3.amazonaws.com/key'],
    ['https://bücher.example/katze.png', 'https://xn--bcher-kva.example/katze.png'],
    ['https://images.test/a.png', 'https://images.test/a.png'],
    ['https://localhost.example.com/a.png', 'https://localhost.example.com/a.png'],
    ['https://metadata.example.com/a.png', 'https://metadata.example.com/a.png'],
    ['https://10.0.0.1.example.com/a.png', 'https://10.0.0.1.example.com/a.png'],
    ['https://example.com/@127.0.0.1', 'https://example.com/@127.0.0.1'],
    ['https://example.com/?next=http://127.0.0.1/', 'https://example.com/?next=http://127.0.0.1/'],
    ['https://example.com/photo%20of%20me.png', 'https://example.com/photo%20of%20me.png'],
    ['https://example.com/kätzchen.png', 'https://example.com/k%C3%A4tzchen.png'],
    ['https://8.8.8.8/a.png', 'https://8.8.8.8/a.png'],
    ['https://134744072/a.png', 'https://8.8.8.8/a.png'],
    ['https://172.32.0.1/a.png', 'https://172.32.0.1/a.png'],
    ['https://[2606:4700::1111]/a.png', 'https://[2606:4700::1111]/a.png'],
    ['https://[2001:4860:4860::8888]:8443/a.png', 'https://[2001:4860:4860::8888]:8443/a.png'],
    ['https://[::ffff:8.8.8.8]/a.png', 'https://[::ffff:808:808]/a.png'],
  ])('accepts %s as %s', (value, href) => {
    expect(hrefFor(value)).toBe(href);
  });
});

describe('schemes', () => {
  it.each([
    ['http://example.com/cat.png', 'it uses plain http; only https URLs are accepted'],
    ['HTTP://example.com/cat.png', 'it uses plain http; only https URLs are accepted'],
    ['file:///etc/passwd', 'it uses the file: scheme; only https URLs are accepted'],
    ['file://localhost/etc/passwd', 'it uses the file: scheme; only https URLs are accepted'],
    ['javascript:alert(1)', 'it uses the javascript: scheme; only https URLs are accepted'],
    ['gopher://example.com:25/_HELO', 'it uses the gopher: scheme; only https URLs are accepted'],
    ['ftp://example.com/cat.png', 'it uses the ftp: scheme; only https URLs are accepted'],
    ['data:image/png;base64,iVBORw0KGgo=', 'it uses the data: scheme; only https URLs are accepted'],
    ['ws://example.com/', 'it uses the ws: scheme; only https URLs are accepted'],
    ['wss://example.com/', 'it uses the wss: scheme; only https URLs are accepted'],
    ['blob:https://example.com/1b4e28ba', 'it uses the blob: scheme; only https URLs are accepted'],
    ['mailto:someone@example.com', 'it uses the mailto: scheme; only https URLs are accepted'],
    ['dict://127.0.0.1:11211/stat', 'it uses the dict: scheme; only https URLs are accepted'],
    ['localhost:8787/v1/jobs', 'it uses the localhost: scheme; only https URLs are accepted'],
  ])('refuses %s: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });

  it('names http as accepted too when http is allowed', () => {
    expect(reasonFor('ftp://example.com/', { allowHttp: true })).toBe('it uses the ftp: scheme; only http and https URLs are accepted');
  });
});

describe('values that are not well-formed absolute URLs', () => {
  it.each([
    ['', 'it is not an absolute URL'],
    ['cat.png', 'it is not an absolute URL'],
    ['/images/cat.png', 'it is not an absolute URL'],
    ['//example.com/cat.png', 'it is not an absolute URL'],
    ['https://', 'it is not an absolute URL'],
    ['https://example.com:99999/', 'it is not an absolute URL'],
    ['https://1.2.3.256/', 'it is not an absolute URL'],
    ['https://0x100000000/', 'it is not an absolute URL'],
    ['https://[fe80::1%25eth0]/', 'it is not an absolute URL'],
    ['https://[::1/', 'it is not an absolute URL'],
    ['https:example.com/cat.png', 'it is not of the form https://host/…'],
    ['https:/example.com/cat.png', 'it is not of the form https://host/…'],
    ['https://a$b.com/', 'its host (a$b.com) is not a valid host name or address'],
    ['https://a..b.com/', 'its host (a..b.com) is not a valid host name or address'],
    ['https://example.com/cat photo.png', 'it contains whitespace, control characters or backslashes'],
    [' https://example.com/', 'it contains whitespace, control characters or backslashes'],
    ['https://example.com/\n', 'it contains whitespace, control characters or backslashes'],
    ['https://exam\tple.com/', 'it contains whitespace, control characters or backslashes'],
    ['https://example.com/\u0000', 'it contains whitespace, control characters or backslashes'],
    ['https://evil.example\\@127.0.0.1/', 'it contains whitespace, control characters or backslashes'],
    ['https:\\\\127.0.0.1\\', 'it contains whitespace, control characters or backslashes'],
  ])('refuses %j: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });
});

describe('credentials', () => {
  it.each([
    'https://user:s3cret@example.com/cat.png',
    'https://user@example.com/cat.png',
    'https://:s3cret@example.com/cat.png',
    'https://@example.com/cat.png',
    'https://:@example.com/cat.png',
    'https://us%40er:s3cret@example.com/cat.png',
    'https://example.com:443@127.0.0.1/',
    'https://user:s3cret@127.0.0.1/',
    'https://user:s3cret@[::1]/',
  ])('refuses %s without repeating the credentials', (value) => {
    const reason = reasonFor(value);
    expect(reason).toBe('it embeds credentials');
    expect(reason).not.toMatch(/s3cret|user/);
  });

  it('refuses credentials on an allowed private host and on a trusted provider host', () => {
    expect(reasonFor('http://user:s3cret@127.0.0.1:9000/', { allowedPrivateHosts: ['127.0.0.1'] })).toBe('it embeds credentials');
    expect(reasonFor('https://user:s3cret@api.krea.ai/', providerUrlRules('https://api.krea.ai'))).toBe('it embeds credentials');
  });
});

describe('URLs a provider returns', () => {
  const emulator = providerUrlRules('http://127.0.0.1:35893');

  it.each([
    'http://127.0.0.1:35893/files/654b2b40.mp4',
    'https://127.0.0.1:35893/files/654b2b40.mp4',
    'http://cdn.example.com/video.mp4',
    'https://cdn.example.com/video.mp4',
  ])('accepts %s from a provider configured at http://127.0.0.1:35893', (value) => {
    expect(checkUrl(value, emulator).ok).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:35894/files/a.mp4', loopback('127.0.0.1')],
    ['http://127.0.0.1/files/a.mp4', loopback('127.0.0.1')],
    ['http://127.0.0.2:35893/files/a.mp4', loopback('127.0.0.2')],
    ['http://localhost:35893/files/a.mp4', 'it points at a loopback host (localhost)'],
    ['http://[::ffff:127.0.0.1]:35893/files/a.mp4', loopback('::ffff:7f00:1')],
    ['http://10.0.0.1:35893/files/a.mp4', 'it points at a private address (10.0.0.1)'],
    ['http://169.254.169.254/latest/meta-data/', 'it points at a cloud metadata address (169.254.169.254)'],
    ['file:///etc/passwd', 'it uses the file: scheme; only http and https URLs are accepted'],
  ])('refuses %s from that provider: %s', (value, reason) => {
    expect(reasonFor(value, emulator)).toBe(reason);
  });

  it.each([
    ['https://krea.internal/files/a.mp4', true],
    ['https://KREA.INTERNAL./files/a.mp4', true],
    ['https://krea.internal:443/files/a.mp4', true],
    ['https://krea.internal:8443/files/a.mp4', false],
    ['https://other.internal/files/a.mp4', false],
    ['https://files.krea.internal/a.mp4', false],
  ])('trusts exactly the configured host and port of https://krea.internal: %s (%s)', (value, ok) => {
    expect(checkUrl(value, providerUrlRules('https://krea.internal')).ok).toBe(ok);
  });

  it('keeps the provider on https when it is configured over https, even for its own host', () => {
    expect(reasonFor('http://krea.internal/a.mp4', providerUrlRules('https://krea.internal'))).toBe('it uses plain http; only https URLs are accepted');
    expect(reasonFor('http://gen.krea.ai/a.mp4', providerUrlRules('https://api.krea.ai'))).toBe('it uses plain http; only https URLs are accepted');
    expect(checkUrl('https://gen.krea.ai/a.mp4', providerUrlRules('https://api.krea.ai')).ok).toBe(true);
  });

  it('matches a trusted entry with a port against the URL port, the default included', () => {
    expect(checkUrl('https://10.0.0.5/a.mp4', { trustedHosts: ['10.0.0.5:443'] }).ok).toBe(true);
    expect(checkUrl('https://10.0.0.5:8443/a.mp4', { trustedHosts: ['10.0.0.5:8443'] }).ok).toBe(true);
    expect(checkUrl('https://10.0.0.5:8443/a.mp4', { trustedHosts: ['10.0.0.5'] }).ok).toBe(false);
    expect(checkUrl('https://[fd00::5]:8443/a.mp4', { trustedHosts: ['[fd00::5]:8443'] }).ok).toBe(true);
  });

  it('derives the rules from the configured base URL', () => {
    expect(providerUrlRules('http://127.0.0.1:35893/v1', ['localhost'])).toEqual({ allowHttp: true, trustedHosts: ['127.0.0.1:35893'], allowedPrivateHosts: ['localhost'] });
    expect(providerUrlRules('https://api.krea.ai')).toEqual({ allowHttp: false, trustedHosts: ['api.krea.ai'], allowedPrivateHosts: [] });
  });
});

describe('ALLOWED_PRIVATE_HOSTS', () => {
  const sandbox: UrlRules = { allowedPrivateHosts: parseAllowedHosts('127.0.0.1,localhost') };

  it.each([
    'http://127.0.0.1:35893/files/a.png',
    'https://127.0.0.1/a.png',
    'http://127.1:8080/a.png',
    'http://2130706433/a.png',
    'http://0x7f.0.0.1/a.png',
    'http://localhost:8787/a.png',
    'http://LOCALHOST./a.png',
    'https://localhost/a.png',
  ])('lets the sandbox use %s, over plain http too', (value) => {
    expect(checkUrl(value, sandbox).ok).toBe(true);
  });

  it.each([
    ['https://127.0.0.2/a.png', loopback('127.0.0.2')],
    ['https://[::1]/a.png', loopback('::1')],
    ['https://[::ffff:127.0.0.1]/a.png', loopback('::ffff:7f00:1')],
    ['https://api.localhost/a.png', 'it points at a loopback host (api.localhost)'],
    ['https://10.0.0.1/a.png', 'it points at a private address (10.0.0.1)'],
    ['http://127.0.0.2/a.png', 'it uses plain http; only https URLs are accepted'],
    ['http://example.com/a.png', 'it uses plain http; only https URLs are accepted'],
    ['ftp://127.0.0.1/a.png', 'it uses the ftp: scheme; only http and https URLs are accepted'],
    ['http://user:s3cret@127.0.0.1/a.png', 'it embeds credentials'],
  ])('still refuses %s in the sandbox: %s', (value, reason) => {
    expect(reasonFor(value, sandbox)).toBe(reason);
  });

  it.each([
    ['http://[::1]:8080/a.png', true],
    ['http://[::1]:8081/a.png', false],
    ['http://minio.internal:9000/bucket/a.png', true],
    ['http://minio.internal/bucket/a.png', false],
    ['https://minio.internal:9000/bucket/a.png', true],
    ['http://[fd00::7]:1234/a.png', true],
    ['http://169.254.169.254/latest/meta-data/', false],
  ])('matches an entry with a port only on that port: %s (%s)', (value, ok) => {
    const rules: UrlRules = { allowedPrivateHosts: parseAllowedHosts('[::1]:8080, minio.internal:9000, fd00::7') };
    expect(checkUrl(value, rules).ok).toBe(ok);
  });

  it.each([
    [undefined, []],
    ['', []],
    [' , ,', []],
    ['127.0.0.1,localhost', ['127.0.0.1', 'localhost']],
    [' LOCALHOST. , 0x7f.1 ', ['localhost', '127.0.0.1']],
    ['[::1]:8080,::1,[0:0:0:0:0:0:0:1]', ['[::1]:8080', '[::1]', '[::1]']],
    ['minio.internal:09000', ['minio.internal:9000']],
    ['2130706433:8080', ['127.0.0.1:8080']],
  ])('parses %j as %j', (list, entries) => {
    expect(parseAllowedHosts(list)).toEqual(entries);
  });

  it.each(['http://localhost', 'localhost:0', 'localhost:65536', 'localhost:', 'a b', 'host/path', 'user@host', '1.2.3.256', '[::1', '[localhost]', '::g'])(
    'refuses the entry %j with a configuration error naming it',
    (entry) => {
      expect(() => parseAllowedHosts(`127.0.0.1,${entry}`)).toThrow(ConfigError);
      expect(() => parseAllowedHosts(`127.0.0.1,${entry}`)).toThrow(`ALLOWED_PRIVATE_HOSTS: ${JSON.stringify(entry)} is not a host name or IP address`);
    },
  );

  it('names every bad entry at once', () => {
    expect(() => parseAllowedHosts('a b,http://x')).toThrow('"a b", "http://x" are not a host name or IP address (optionally with :port)');
  });
});

describe('classifying hosts', () => {
  it.each<[string, HostClass]>([
    ['localhost', 'loopback'],
    ['LocalHost.', 'loopback'],
    ['localhost..', 'loopback'],
    ['a.b.localhost', 'loopback'],
    ['localhost.localdomain', 'loopback'],
    ['printer.local', 'link-local'],
    ['db.internal', 'private'],
    ['nas.home.arpa', 'private'],
    ['server.corp', 'private'],
    ['intranet', 'private'],
    ['example.com', 'domain'],
    ['EXAMPLE.COM.', 'domain'],
    ['localhost.example.com', 'domain'],
    ['metadata.example.com', 'domain'],
    ['127.0.0.1.nip.io', 'domain'],
    ['xn--bcher-kva.example', 'domain'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.1.', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::1', 'loopback'],
    ['8.8.8.8', 'public'],
    ['[2606:4700::1111]', 'public'],
    ['', 'invalid'],
    ['.', 'invalid'],
    ['a..b', 'invalid'],
    ['.example.com', 'invalid'],
    ['exa mple.com', 'invalid'],
    ['bücher.example', 'invalid'],
    ['1.2.3.256', 'invalid'],
    ['08.0.0.1', 'invalid'],
    ['example.0x', 'invalid'],
    ['example.123', 'invalid'],
    ['[1.2.3.4]', 'invalid'],
    ['1::2::3', 'invalid'],
  ])('classifies %j as %s', (host, kind) => {
    expect(classifyHost(host)).toBe(kind);
  });

  it.each(METADATA_HOSTS)('classifies the metadata host %s as metadata, in any case and with a trailing dot', (host) => {
    expect(classifyHost(host)).toBe('metadata');
    expect(classifyHost(`${host.toUpperCase()}.`)).toBe('metadata');
  });
});
